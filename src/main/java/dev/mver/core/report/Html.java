package dev.mver.core.report;

/**
 * HTML built as text, every value from a record escaped on the way in: names, reasons, parameters and tagger names
 * come from whoever wrote the registry, and a page must show them as text, never run them.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder();

    /** Markup mver writes itself (tags, attributes with fixed values). */
    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    /** A value, escaped for element text and for quoted attribute values alike. */
    Html text(Object value) {
        sb.append(escape(value == null ? "" : value.toString()));
        return this;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }

    /**
     * A table row of escaped cells, without the end tags HTML lets a row and a cell leave out: a model with 10,000
     * versions and events has 200,000 cells.
     */
    Html row(Object... cells) {
        return cells("<tr>", cells);
    }

    /** {@link #row}, with an id a link can point at. */
    Html anchoredRow(String id, Object... cells) {
        return cells("<tr id=\"" + escape(id) + "\">", cells);
    }

    private Html cells(String tr, Object[] cells) {
        sb.append(tr);
        for (Object c : cells) {
            sb.append("<td>").append(escape(c == null ? "" : c.toString()));
        }
        sb.append('\n');
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
