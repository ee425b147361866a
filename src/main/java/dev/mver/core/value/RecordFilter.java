package dev.mver.core.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One condition on a version's metadata record, as {@code --where} takes it: {@code FIELD OP VALUE} with
 * {@code OP} one of {@code = != >= <= > <}. {@code FIELD} is a record field ({@code dataset_snapshot_id},
 * {@code training_date}) or a key inside one ({@code metrics.auc}, {@code hyperparameters.max_depth},
 * {@code library_versions.scikit-learn}, {@code extra.mlflow.run_id}). Numbers compare as numbers when both sides
 * are numbers, anything else as text (ISO dates order correctly so); a field the record does not have matches
 * nothing.
 */
public record RecordFilter(String field, String op, String value) {
    private static final Pattern SYNTAX = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*(?:\\.[^=!<>]+)?)\\s*(>=|<=|!=|=|>|<)"
            + "\\s*(.*)");

    public static RecordFilter parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw MverException.usage("--where takes FIELD=VALUE (or !=, >=, <=, >, <), e.g. dataset_snapshot_id=snap-1 "
                    + "or 'metrics.auc>=0.85'; got '%s'", Text.printable(text, 80));
        }
        return new RecordFilter(m.group(1).strip(), m.group(2), m.group(3).strip());
    }

    /** Whether the record (as its JSON tree) meets the condition. */
    public boolean matches(JsonNode record) {
        JsonNode node = find(record);
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return false;
        }
        int c;
        BigDecimal number = number(value);
        if (node.isNumber() && number != null) {
            c = node.decimalValue().compareTo(number);
        } else {
            c = node.asText().compareTo(value);
        }
        return switch (op) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case ">=" -> c >= 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c < 0;
        };
    }

    /** The field: a top-level one, then a key inside it (whole, as names may hold dots), else nested keys. */
    private JsonNode find(JsonNode record) {
        int dot = field.indexOf('.');
        if (dot < 0) {
            return record.get(field);
        }
        JsonNode node = record.get(field.substring(0, dot));
        String rest = field.substring(dot + 1);
        while (node != null && !rest.isEmpty()) {
            if (node.has(rest)) {
                return node.get(rest);
            }
            int next = rest.indexOf('.');
            node = node.get(next < 0 ? rest : rest.substring(0, next));
            rest = next < 0 ? "" : rest.substring(next + 1);
        }
        return node;
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
