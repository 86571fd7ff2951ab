package com.supportress.upload.store;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys of uploads. Only the tenant and the random upload id make up a key, so no file name can
 * choose or escape its place. Quarantined objects move under another prefix, which the bucket's
 * notification does not watch, so moving them triggers nothing.
 *
 * <p>When an upload ends without its object (aborted, quarantined), its live key keeps an empty object, the
 * closing marker: a presigned PUT carries a signed {@code If-None-Match: *}, so while anything sits at the key
 * S3 refuses the still-valid URL (412), even in a versioned bucket. Uploads are never empty (size >= 1), so
 * an empty object at a live key is never an upload's bytes.
 */
public final class UploadKeys {

    public static final String UPLOAD_PREFIX = "tenants/";
    public static final String QUARANTINE_PREFIX = "quarantine/";
    /** User metadata on the closing marker, for whoever looks at the bucket: why the key was closed. */
    public static final String CLOSED_METADATA = "upload-closed";

    /** Tenant ids as the authorizer gives them: short, lower-case, safe in a key. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    public static final Pattern UPLOAD_ID = Pattern.compile("upl_[0-9a-f]{40}");
    private static final Pattern OBJECT_KEY = Pattern.compile("tenants/(" + TENANT + ")/(" + UPLOAD_ID + ")");

    private UploadKeys() {
    }

    public static String objectKey(String tenant, String uploadId) {
        return UPLOAD_PREFIX + tenant + "/" + uploadId;
    }

    public static String quarantineKey(String tenant, String uploadId) {
        return QUARANTINE_PREFIX + tenant + "/" + uploadId;
    }

    /** The upload id of an object key, if the key is one this system made. */
    public static Optional<String> uploadIdOf(String objectKey) {
        Matcher matcher = OBJECT_KEY.matcher(objectKey);
        return matcher.matches() ? Optional.of(matcher.group(2)) : Optional.empty();
    }
}
