package com.supportress.shared.mail;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unit tier: subjects are one line whatever the caller passes. */
class TextMailerTest {

    @Test
    void subjectsNeverCarryLineBreaksOrOtherControlCharacters() {
        assertEquals("a  Bcc: x y", TextMailer.oneLine("a\r\nBcc: x\ty"));
    }

    @Test
    void subjectsNeverCarryUnicodeLineSeparatorsNextLineOrBidiOverrides() {
        assertEquals("a b c d e", TextMailer.oneLine("a\u2028b\u2029c\u0085d\u202ee"));
    }
}
