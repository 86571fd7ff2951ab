package com.supportress.upload.api;

import com.supportress.shared.http.JsonFields;
import com.supportress.shared.http.TextRules;
import io.micronaut.json.tree.JsonNode;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** The body of POST /uploads, validated: every invalid field is named in one 400. */
public record UploadRequest(String fileName, String contentType, long size, Optional<String> sha256) {

    static final int MAX_FILE_NAME = 255;

    public static UploadRequest from(JsonNode body, UploadApiConfig config) {
        JsonFields fields = new JsonFields(body);
        String fileName = fields.requiredString("fileName", MAX_FILE_NAME);
        if (fileName != null) {
            // The raw value, since reading strips surrounding whitespace, control characters included.
            fileNameProblem(body.get("fileName").getStringValue()).ifPresent(problem -> fields.reject("fileName", problem));
        }
        String contentType = fields.requiredString("contentType", 255);
        String normalisedType = contentType == null ? null : contentType.toLowerCase(Locale.ROOT);
        fields.oneOf("contentType", Optional.ofNullable(normalisedType), config.allowedContentTypes());
        Optional<Long> size = fields.optionalLong("size", 1, config.largestUpload());
        if (body.get("size") == null || body.get("size").isNull()) {
            fields.reject("size", "is required");
        }
        Optional<String> sha256 = fields.check("sha256", fields.optionalString("sha256", 64),
                UploadRequest::isBase64Sha256, "must be the base64 SHA-256 of the file (44 characters)");
        fields.throwIfInvalid();
        return new UploadRequest(fileName, normalisedType, size.orElseThrow(), sha256);
    }

    /** File names are metadata only, never part of a key; still, a name that looks like a path or hides characters is refused. */
    static Optional<String> fileNameProblem(String name) {
        // Controls, bidi overrides and zero-width characters (Cf), line separators: any of them can disguise a name.
        if (!TextRules.isOneLine(name)) {
            return Optional.of(TextRules.ONE_LINE_RULE);
        }
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || name.contains(":")) {
            return Optional.of("must be a plain file name, not a path");
        }
        return Optional.empty();
    }

    private static boolean isBase64Sha256(String value) {
        try {
            return value.length() == 44 && Base64.getDecoder().decode(value).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
