package com.supportress.backup;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The two manifests DynamoDB writes beside an export's data files, in the format its developer guide
 * documents ("DynamoDB table export output format"): {@code manifest-summary.json}, one JSON object, and
 * {@code manifest-files.json}, one JSON object per line and data file. Keys inside them are relative to
 * the export's S3 prefix in the guide's example and include it in real exports; {@link #resolve} accepts both.
 */
final class ExportManifests {

    static final String SUMMARY = "manifest-summary.json";

    private ExportManifests() {
    }

    @Serdeable
    record Summary(String version, String exportArn, String tableArn, String exportTime, String s3Bucket, String s3Prefix,
                   String manifestFilesS3Key, Long itemCount, String outputFormat) {
    }

    @Serdeable
    record DataFile(Long itemCount, String md5Checksum, String etag, String dataFileS3Key) {
    }

    static Summary summary(JsonMapper json, byte[] body) {
        try {
            Summary summary = json.readValue(body, Summary.class);
            if (summary == null || summary.manifestFilesS3Key() == null || summary.itemCount() == null) {
                throw new InvalidExportException(SUMMARY + " lacks manifestFilesS3Key or itemCount");
            }
            return summary;
        } catch (IOException e) {
            throw new InvalidExportException(SUMMARY + " is not the documented JSON: " + e.getMessage());
        }
    }

    static List<DataFile> files(JsonMapper json, byte[] body) {
        List<DataFile> files = new ArrayList<>();
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            DataFile file;
            try {
                file = json.readValue(lines[i], DataFile.class);
            } catch (IOException e) {
                throw new InvalidExportException("line " + (i + 1) + " of manifest-files.json is not the documented JSON: " + e.getMessage());
            }
            if (file == null || file.dataFileS3Key() == null || file.itemCount() == null || file.etag() == null) {
                throw new InvalidExportException("line " + (i + 1) + " of manifest-files.json lacks dataFileS3Key, itemCount or etag");
            }
            files.add(file);
        }
        return files;
    }

    /** The full key of an object the manifest names, given the export's prefix. */
    static String resolve(String exportPrefix, String key) {
        return key.startsWith(exportPrefix + "/") ? key : exportPrefix + "/" + key;
    }

    /** ETags are quoted in S3's answers and may be bare in the manifest. */
    static String unquoted(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    /** DynamoDB's export is not what its manifests describe: not worth retrying, the table fails for this run. */
    static final class InvalidExportException extends RuntimeException {
        InvalidExportException(String message) {
            super(message);
        }
    }
}
