package dev.jobs.runtime.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobs.InvalidParametersException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads dispatch parameters into a tree, stricter than plain JSON parsing and with messages in the
 * library's own words: one value and nothing after it, no key given twice, no number beyond the
 * range of a double, no lone surrogate (half of a UTF-16 pair) in a string or a key, and the
 * parser's size limits (nesting depth, string and number length). Every failure is an
 * {@link InvalidParametersException} naming, where it can, the path of the field.
 */
final class StrictJson {

    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character \\((?:'.*?' )?\\(code (\\d+)\\)");
    private static final Pattern TOKEN = Pattern.compile("Unrecognized token '(.*?)'");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonFactory factory;
    private final String jobName;
    private final String text;

    private StrictJson(JsonFactory factory, String jobName, String text) {
        this.factory = factory;
        this.jobName = jobName;
        this.text = text;
    }

    /** The tree of {@code text}, which must be exactly one JSON value. */
    static JsonNode read(JsonFactory factory, String jobName, String text) {
        return new StrictJson(factory, jobName, text).read();
    }

    private JsonNode read() {
        try (JsonParser parser = factory.createParser(text)) {
            try {
                return document(parser);
            } catch (StreamConstraintsException e) {
                throw tooLarge(e, path(parser.getParsingContext()));
            } catch (JsonEOFException e) {
                throw invalid(null, "malformed JSON " + where(e.getLocation()) + ": " + syntax(e), e);
            } catch (JsonParseException e) {
                String path = path(parser.getParsingContext());
                throw invalid(path, "malformed JSON " + where(e.getLocation()) + ": " + syntax(e), e);
            }
        } catch (IOException e) {
            throw invalid(null, "the JSON could not be read", e);
        }
    }

    private JsonNode document(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw invalid(null, "no parameters given (use \"{}\" for none)");
        }
        JsonNode root = value(parser, first, "");
        JsonLocation more;
        try {
            more = parser.nextToken() == null ? null : parser.currentTokenLocation();
        } catch (JsonParseException e) {
            more = e.getLocation(); // not even a token: still content after the value
        }
        if (more != null) {
            throw invalid(
                    null, "unexpected content after the JSON object, " + where(more) + "; give exactly one object");
        }
        return root;
    }

    /**
     * The path where the parser stands, as the messages write it ({@code options.retries},
     * {@code tags[2]}); null at the top. The parser reads a field's name and the start of its
     * value in one step, so an error in the value is found at the field.
     */
    private static String path(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return null;
        }
        String parent = path(context.getParent());
        String here;
        if (context.inArray()) {
            here = "[" + Math.max(0, context.getCurrentIndex()) + "]";
            return parent == null ? here : parent + here;
        }
        String name = context.getCurrentName();
        if (name == null) {
            return parent;
        }
        return parent == null ? printable(name) : parent + "." + printable(name);
    }

    private JsonNode value(JsonParser parser, JsonToken token, String path) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    String child = join(path, name);
                    checkText(name, child, "its name");
                    if (object.has(name)) {
                        throw invalid(child, "is given twice; give each field once");
                    }
                    object.set(name, value(parser, parser.nextToken(), child));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                int i = 0;
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(parser, t, path + "[" + i++ + "]"));
                }
                return array;
            }
            case VALUE_STRING: {
                String s = parser.getText();
                checkText(s, path, "the string");
                return NODES.textNode(s);
            }
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT: {
                BigDecimal number = parser.getDecimalValue();
                if (Double.isInfinite(number.doubleValue())) {
                    throw invalid(
                            path.isEmpty() ? null : path,
                            "the number " + abbreviate(parser.getText())
                                    + " is too large: numbers must be within the range of a double (about ±1.8e308)");
                }
                return DecimalNode.valueOf(number); // exactly as written: 1.10 keeps its scale
            }
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw invalid(path.isEmpty() ? null : path, "is not a JSON value");
        }
    }

    /** Refuses a string with half of a UTF-16 surrogate pair: it is not valid Unicode. */
    private void checkText(String s, String path, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid(
                        path.isEmpty() ? null : path,
                        what + " is not valid Unicode: it has a lone surrogate ("
                                + String.format(Locale.ROOT, "\\u%04X", (int) c) + ") at character " + (i + 1));
            }
        }
    }

    private InvalidParametersException tooLarge(StreamConstraintsException e, String path) {
        StreamReadConstraints limits = factory.streamReadConstraints();
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return invalid(null, "the JSON is nested more than " + limits.getMaxNestingDepth() + " levels deep", e);
        }
        if (message.contains("String value length")) {
            return invalid(path, "the string is longer than " + limits.getMaxStringLength() + " characters", e);
        }
        if (message.contains("Number value length")) {
            return invalid(path, "the number is longer than " + limits.getMaxNumberLength() + " characters", e);
        }
        if (message.contains("Name length")) {
            return invalid(path, "a field name is longer than " + limits.getMaxNameLength() + " characters", e);
        }
        return invalid(null, "the JSON is too large", e);
    }

    /** What is wrong with the syntax, worded from what the parser found. */
    private String syntax(JsonParseException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
            return "it ends before an object, array or string is closed";
        }
        Matcher token = TOKEN.matcher(message);
        if (message.startsWith("Non-standard token")) {
            return "NaN and Infinity are not numbers in JSON";
        }
        if (token.find()) {
            return "unexpected '" + abbreviate(token.group(1))
                    + "'; expected a value: a string in double quotes, a number, an object, an array, true, false or null";
        }
        if (message.contains("Illegal unquoted character")) {
            return "a string holds a control character; write it escaped, such as \\n or \\t";
        }
        if (message.contains("Unrecognized character escape")) {
            return "a string holds an invalid escape sequence; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX";
        }
        if (message.contains("Leading zeroes not allowed")
                || message.contains("Invalid numeric value")
                || message.contains("in numeric value")) {
            return "an invalid number (JSON numbers have no leading zeros, no leading '+' and no trailing '.')";
        }
        Matcher unexpected = UNEXPECTED.matcher(message);
        String found = unexpected.find() ? "found " + character(Integer.parseInt(unexpected.group(1))) : "";
        String expected;
        if (message.contains("double-quote to start field name")) {
            expected = "expected a field name in double quotes";
        } else if (message.contains("comma to separate Object entries")) {
            expected = "expected ',' or '}' after a field's value";
        } else if (message.contains("comma to separate Array entries")) {
            expected = "expected ',' or ']' after an element";
        } else if (message.contains("colon to separate field name and value")) {
            expected = "expected ':' after a field name";
        } else if (message.contains("Unexpected close marker")) {
            return "a closing bracket does not match the one that opened";
        } else {
            expected =
                    "expected a value: a string in double quotes, a number, an object, an array, true, false or null";
        }
        return found.isEmpty() ? expected : expected + ", " + found;
    }

    private static String character(int code) {
        if (code < 0) {
            return "the end";
        }
        if (code < 0x20 || code == 0x7f || Character.isSurrogate((char) code)) {
            return String.format(Locale.ROOT, "the character \\u%04X", code);
        }
        return "'" + new String(Character.toChars(code)) + "'";
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : "at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String abbreviate(String s) {
        String shown = printable(s);
        return shown.length() > 40 ? shown.substring(0, 37) + "..." : shown;
    }

    /** The text with control characters and lone surrogates written as escapes, safe to put in a message. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                out.append(c).append(s.charAt(++i));
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String join(String path, String name) {
        String shown = printable(name);
        return path.isEmpty() ? shown : path + "." + shown;
    }

    private InvalidParametersException invalid(String field, String problem) {
        return new InvalidParametersException(jobName, field, problem);
    }

    private InvalidParametersException invalid(String field, String problem, Exception cause) {
        return new InvalidParametersException(jobName, field, problem, cause);
    }
}
