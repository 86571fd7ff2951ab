package com.supportress.shared.http;

import java.util.regex.Pattern;

/**
 * What text may contain, in one place for every parser and mailer. One-line text (names, summaries, ids shown to
 * people, mail subjects) refuses every control (Cc, which includes U+0085), format (Cf: bidi overrides, zero-width
 * characters), line separator (Zl, U+2028) and paragraph separator (Zp, U+2029) character: any of them can break
 * a line, disguise text or smuggle a header. Java's {@code \p{Cntrl}} alone is ASCII only.
 */
public final class TextRules {

    private static final Pattern NOT_ONE_LINE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]");
    // Multi-line text keeps line feeds, carriage returns and tabs.
    private static final Pattern NOT_MULTI_LINE = Pattern.compile("[\\p{Cc}\\p{Cs}&&[^\\r\\n\\t]]");

    public static final String ONE_LINE_RULE = "must be a single line without control, format or line separator characters";
    public static final String MULTI_LINE_RULE = "must not contain control characters other than line breaks and tabs";

    private TextRules() {
    }

    public static boolean isOneLine(String text) {
        return !NOT_ONE_LINE.matcher(text).find();
    }

    public static boolean isMultiLine(String text) {
        return !NOT_MULTI_LINE.matcher(text).find();
    }

    /** The same text with each character a line must not carry replaced by a space: for text we compose, such as a mail subject. */
    public static String toOneLine(String text) {
        return NOT_ONE_LINE.matcher(text).replaceAll(" ");
    }

    /** Well-formed UTF-16: every surrogate is half of a pair, so the text has a UTF-8 form (DynamoDB, SES and S3 refuse it otherwise). */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
