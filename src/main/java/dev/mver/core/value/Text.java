package dev.mver.core.value;

/** Makes untrusted text safe to put in a one-line message: control characters escaped, length capped. */
public final class Text {
    private Text() {
    }

    public static String printable(String s, int max) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > max ? s.substring(0, max) + "..." : s;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                sb.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
