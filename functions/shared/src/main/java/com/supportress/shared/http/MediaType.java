package com.supportress.shared.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A media type as RFC 9110 section 8.3.1 defines it: {@code type "/" subtype *( OWS ";" OWS [ parameter ] )}.
 * Type, subtype and parameter names are case-insensitive (kept lower-case here); a parameter value is a token or
 * a quoted string (unquoted here). So {@code Application/JSON ; charset="UTF-8"} is JSON and {@code application/jsonx} is not.
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern TYPE = Pattern.compile("[ \\t]*(" + TOKEN + ")/(" + TOKEN + ")[ \\t]*");
    private static final Pattern PARAMETER = Pattern.compile(
            ";[ \\t]*(?:(" + TOKEN + ")=(" + TOKEN + "|\"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t \\x21-\\x7e\\x80-\\xff])*\"))?[ \\t]*");
    private static final Pattern QUOTED_PAIR = Pattern.compile("\\\\(.)");

    public MediaType {
        parameters = Map.copyOf(parameters);
    }

    /** The media type of a header value, or empty when it does not follow the grammar. */
    public static Optional<MediaType> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher type = TYPE.matcher(value);
        if (!type.lookingAt()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher parameter = PARAMETER.matcher(value);
        for (int at = type.end(); at < value.length(); at = parameter.end()) {
            parameter.region(at, value.length());
            if (!parameter.lookingAt()) {
                return Optional.empty();
            }
            if (parameter.group(1) != null) {
                String raw = parameter.group(2);
                String unquoted = raw.startsWith("\"") ? QUOTED_PAIR.matcher(raw.substring(1, raw.length() - 1)).replaceAll("$1") : raw;
                // A parameter named twice is ambiguous (which charset?): not a media type we accept.
                if (parameters.putIfAbsent(parameter.group(1).toLowerCase(Locale.ROOT), unquoted) != null) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new MediaType(type.group(1).toLowerCase(Locale.ROOT), type.group(2).toLowerCase(Locale.ROOT), parameters));
    }

    public boolean is(String type, String subtype) {
        return this.type.equals(type) && this.subtype.equals(subtype);
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    /** JSON as RFC 8259 allows it: {@code application/json}, in UTF-8 (the only charset it allows) if a charset is named at all. */
    public boolean isJson() {
        return is("application", "json") && parameter("charset").map(charset -> charset.equalsIgnoreCase("utf-8")).orElse(true);
    }
}
