package com.supportress.backup;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tier: the manifests of a DynamoDB export, as the examples of DynamoDB's developer guide show them
 * ("DynamoDB table export output format"), read by the mapper the functions use.
 */
class ExportManifestsTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    /** The guide's summary example, verbatim. */
    static final String SUMMARY = """
            {
               "version": "2020-06-30",
               "exportArn": "arn:aws:dynamodb:us-east-1:123456789012:table/ProductCatalog/export/01234567890123-a1b2c3d4",
               "startTime": "2020-11-04T07:28:34.028Z",
               "endTime": "2020-11-04T07:33:43.897Z",
               "tableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/ProductCatalog",
               "tableId": "12345a12-abcd-123a-ab12-1234abc12345",
               "exportTime": "2020-11-04T07:28:34.028Z",
               "s3Bucket": "ddb-productcatalog-export",
               "s3Prefix": "2020-Nov",
               "s3SseAlgorithm": "AES256",
               "s3SseKmsKeyId": null,
               "manifestFilesS3Key": "AWSDynamoDB/01345678901234-abc12345/manifest-files.json",
               "billedSizeBytes": 0,
               "itemCount": 8,
               "outputFormat": "DYNAMODB_JSON"
            }
            """;

    /** The guide's files-manifest line (shown there on several lines for readability; the file has one per line). */
    static final String FILES = "{\"itemCount\": 8, \"md5Checksum\": \"sQMSpEILNgoQmarvDFonGQ==\", \"etag\": \"af83d6f217c19b8b0fff8023d8ca4716-1\", "
            + "\"dataFileS3Key\": \"AWSDynamoDB/11111111111111-22222222/data/33334444EXAMPLE.json.gz\"}\n"
            + "{\"itemCount\": 3, \"md5Checksum\": \"AAAAAAAAAAAAAAAAAAAAAA==\", \"etag\": \"00000000000000000000000000000000\", "
            + "\"dataFileS3Key\": \"AWSDynamoDB/11111111111111-22222222/data/55556666EXAMPLE.json.gz\"}\n";

    @Test
    void readsTheGuidesSummary() {
        ExportManifests.Summary summary = ExportManifests.summary(JSON, SUMMARY.getBytes(StandardCharsets.UTF_8));

        assertEquals(8L, summary.itemCount());
        assertEquals("DYNAMODB_JSON", summary.outputFormat());
        assertEquals("AWSDynamoDB/01345678901234-abc12345/manifest-files.json", summary.manifestFilesS3Key());
        assertEquals("arn:aws:dynamodb:us-east-1:123456789012:table/ProductCatalog/export/01234567890123-a1b2c3d4", summary.exportArn());
    }

    @Test
    void readsOneDataFilePerLine() {
        List<ExportManifests.DataFile> files = ExportManifests.files(JSON, FILES.getBytes(StandardCharsets.UTF_8));

        assertEquals(2, files.size());
        assertEquals(8L, files.getFirst().itemCount());
        assertEquals("af83d6f217c19b8b0fff8023d8ca4716-1", files.getFirst().etag());
        assertEquals("AWSDynamoDB/11111111111111-22222222/data/55556666EXAMPLE.json.gz", files.getLast().dataFileS3Key());
    }

    @Test
    void keysResolveWithOrWithoutTheExportPrefix() {
        assertEquals("2020-Nov/AWSDynamoDB/x/data/a.json.gz", ExportManifests.resolve("2020-Nov", "AWSDynamoDB/x/data/a.json.gz"));
        assertEquals("2020-Nov/AWSDynamoDB/x/data/a.json.gz", ExportManifests.resolve("2020-Nov", "2020-Nov/AWSDynamoDB/x/data/a.json.gz"));
        assertEquals("af83d6f217c19b8b0fff8023d8ca4716-1", ExportManifests.unquoted("\"af83d6f217c19b8b0fff8023d8ca4716-1\""));
    }

    @Test
    void manifestsLackingWhatTheGuidePromisesAreRefused() {
        var noCount = assertThrows(ExportManifests.InvalidExportException.class,
                () -> ExportManifests.summary(JSON, SUMMARY.replace("\"itemCount\": 8,", "").getBytes(StandardCharsets.UTF_8)));
        var notJson = assertThrows(ExportManifests.InvalidExportException.class,
                () -> ExportManifests.summary(JSON, "<html>".getBytes(StandardCharsets.UTF_8)));
        var noKey = assertThrows(ExportManifests.InvalidExportException.class,
                () -> ExportManifests.files(JSON, FILES.replace("dataFileS3Key", "file").getBytes(StandardCharsets.UTF_8)));
        var truncated = assertThrows(ExportManifests.InvalidExportException.class,
                () -> ExportManifests.files(JSON, FILES.substring(0, FILES.length() - 30).getBytes(StandardCharsets.UTF_8)));

        assertTrue(noCount.getMessage().contains("itemCount"), noCount.getMessage());
        assertTrue(notJson.getMessage().contains("manifest-summary.json"), notJson.getMessage());
        assertTrue(noKey.getMessage().contains("line 1"), noKey.getMessage());
        assertTrue(truncated.getMessage().contains("line 2"), truncated.getMessage());
    }
}
