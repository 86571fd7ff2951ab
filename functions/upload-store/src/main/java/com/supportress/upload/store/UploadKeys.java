package com.supportress.upload.store;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys of uploads. Only the owner and the random upload id make up a key, so no file name can
 * choose or escape its place. An upload's owner is a tenant ({@code tenants/<tenant>/<id>}), or a security
 * report whose reporter attached the file ({@code reports/<reportId>/<id>}, owner {@code report:<reportId>}, which
 * no tenant id can spell: tenant ids have no colon). Both prefixes are watched by the bucket's notification and
 * go through the same checks. Quarantined objects move under another prefix, which the notification does not
 * watch, so moving them triggers nothing.
 *
 * <p>When an upload ends without its object (aborted, quarantined), its live key keeps an empty object, the
 * closing marker: a presigned PUT carries a signed {@code If-None-Match: *}, so while anything sits at the key
 * S3 refuses the still-valid URL (412), even in a versioned bucket. Uploads are never empty (size >= 1), so
 * an empty object at a live key is never an upload's bytes.
 */
public final class UploadKeys {

    public static final String UPLOAD_PREFIX = "tenants/";
    public static final String REPORT_PREFIX = "reports/";
    public static final String QUARANTINE_PREFIX = "quarantine/";
    /** User metadata on the closing marker, for whoever looks at the bucket: why the key was closed. */
    public static final String CLOSED_METADATA = "upload-closed";
    private static final String REPORT_OWNER = "report:";

    /** Tenant ids as the authorizer gives them: short, lower-case, safe in a key. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    public static final Pattern UPLOAD_ID = Pattern.compile("upl_[0-9a-f]{40}");
    public static final Pattern REPORT_ID = Pattern.compile("inc_[a-z2-7]{32}");
    private static final Pattern OBJECT_KEY = Pattern.compile("(?:tenants/" + TENANT + "|reports/" + REPORT_ID + ")/(" + UPLOAD_ID + ")");

    private UploadKeys() {
    }

    /** The owner of the files attached to a security report. */
    public static String reportOwner(String reportId) {
        return REPORT_OWNER + reportId;
    }

    public static String objectKey(String owner, String uploadId) {
        return owner.startsWith(REPORT_OWNER)
                ? REPORT_PREFIX + owner.substring(REPORT_OWNER.length()) + "/" + uploadId
                : UPLOAD_PREFIX + owner + "/" + uploadId;
    }

    public static String quarantineKey(String owner, String uploadId) {
        return quarantineKeyOf(objectKey(owner, uploadId));
    }

    /** Where an object moves when it fails a check: {@code quarantine/<tenant>/<id>}, {@code quarantine/reports/<report>/<id>}. */
    public static String quarantineKeyOf(String objectKey) {
        return QUARANTINE_PREFIX + (objectKey.startsWith(UPLOAD_PREFIX) ? objectKey.substring(UPLOAD_PREFIX.length()) : objectKey);
    }

    /** The prefix of every object of a report's attachments, live or quarantined, e.g. to remove them. */
    public static List<String> reportPrefixes(String reportId) {
        return List.of(REPORT_PREFIX + reportId + "/", QUARANTINE_PREFIX + REPORT_PREFIX + reportId + "/");
    }

    /** The upload id of an object key, if the key is one this system made. */
    public static Optional<String> uploadIdOf(String objectKey) {
        Matcher matcher = OBJECT_KEY.matcher(objectKey);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
