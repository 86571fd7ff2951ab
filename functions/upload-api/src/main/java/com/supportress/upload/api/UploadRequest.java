package com.supportress.upload.api;

import com.supportress.shared.http.JsonFields;
import io.micronaut.json.tree.JsonNode;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The body of POST /uploads, validated: every invalid field is named in one 400. */
public record UploadRequest(String fileName, String contentType, long size, Optional<String> sha256) {

    static final int MAX_FILE_NAME = 255;
    // Control characters (C0, DEL, C1) and Unicode line/paragraph separators and bidi overrides, which can disguise a name.
    private static final Pattern UNSAFE_CHARACTERS = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]");

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
        Optional<Long> size = fields.check("size", fields.optionalLong("size"),
                s -> s >= 1 && s <= config.largestUpload(), "must be 1 to " + config.largestUpload() + " bytes");
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
        if (UNSAFE_CHARACTERS.matcher(name).find()) {
            return Optional.of("must not contain control characters");
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
