package com.supportress.shared.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: which characters one-line and multi-line text refuse. */
class TextRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\tb", "a\u0000b", "a\u007fb", "a\u0085b", "a\u2028b", "a\u2029b", "a\u202eb", "a\u200bb",
            "a\u2066b", "a\ufeffb", "a\ud800b"})
    void oneLineTextRefusesControlFormatAndSeparatorCharacters(String text) {
        assertFalse(TextRules.isOneLine(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Stored XSS in ticket subject", "Müller & Søn", "日本語のタイトル", "emoji 😀 ok", "a\u00a0b"})
    void oneLineTextKeepsEveryOtherCharacter(String text) {
        assertTrue(TextRules.isOneLine(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"line one\nline two\r\n\tindented", "a\u2028b"})
    void multiLineTextKeepsLineBreaksAndTabs(String text) {
        assertTrue(TextRules.isMultiLine(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\u001bb", "a\u0085b", "a\udc00b"})
    void multiLineTextRefusesOtherControlCharactersAndLoneSurrogates(String text) {
        assertFalse(TextRules.isMultiLine(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "a\udc00", "\ude00\ud83d"})
    void unpairedSurrogatesAreNotWellFormed(String text) {
        assertFalse(TextRules.isWellFormed(text));
        assertTrue(TextRules.isWellFormed("😀"));
    }
}
