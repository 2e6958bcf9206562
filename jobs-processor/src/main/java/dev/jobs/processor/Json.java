package dev.jobs.processor;

/**
 * A minimal JSON writer for the schema documents the processor embeds in generated code. The
 * processor runs inside javac, so it carries no JSON library.
 */
final class Json {
    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    Json beginObject() {
        separate();
        out.append('{');
        needComma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        needComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    Json key(String key) {
        separate();
        quote(key);
        out.append(':');
        needComma = false;
        return this;
    }

    Json value(String value) {
        separate();
        quote(value);
        needComma = true;
        return this;
    }

    Json value(boolean value) {
        separate();
        out.append(value);
        needComma = true;
        return this;
    }

    Json value(long value) {
        separate();
        out.append(value);
        needComma = true;
        return this;
    }

    /** A finite double, or a long, boolean, string, list or map of such values. */
    Json any(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return value(((Number) value).longValue());
        }
        if (value instanceof Double d) {
            separate();
            out.append(d);
            needComma = true;
            return this;
        }
        if (value instanceof Boolean b) {
            return value(b.booleanValue());
        }
        if (value instanceof String s) {
            return value(s);
        }
        if (value instanceof java.util.List<?> list) {
            beginArray();
            list.forEach(this::any);
            return endArray();
        }
        if (value instanceof java.util.Map<?, ?> map) {
            beginObject();
            map.forEach((k, v) -> key(String.valueOf(k)).any(v));
            return endObject();
        }
        throw new IllegalArgumentException("not a JSON value: " + value);
    }

    private void separate() {
        if (needComma) {
            out.append(',');
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
