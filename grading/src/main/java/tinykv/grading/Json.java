package tinykv.grading;

import java.util.List;
import java.util.Map;

/** Writes JSON from maps, lists, strings, numbers and booleans: enough for results.json, no dependency. */
final class Json {
    private Json() {}

    static String write(Object value) {
        StringBuilder json = new StringBuilder();
        write(value, json, "");
        return json.append('\n').toString();
    }

    private static void write(Object value, StringBuilder json, String indent) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof String text) {
            quote(text, json);
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value instanceof Map<?, ?> map) {
            json.append("{");
            String inner = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(first ? "\n" : ",\n").append(inner);
                quote(String.valueOf(entry.getKey()), json);
                json.append(": ");
                write(entry.getValue(), json, inner);
                first = false;
            }
            json.append(first ? "}" : "\n" + indent + "}");
        } else if (value instanceof List<?> list) {
            json.append("[");
            String inner = indent + "  ";
            boolean first = true;
            for (Object item : list) {
                json.append(first ? "\n" : ",\n").append(inner);
                write(item, json, inner);
                first = false;
            }
            json.append(first ? "]" : "\n" + indent + "]");
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void quote(String text, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
