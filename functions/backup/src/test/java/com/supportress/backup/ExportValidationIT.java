package com.supportress.backup;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: an export checked against the manifests DynamoDB writes beside it in AWS. The emulator
 * writes only the data file, so each test adds {@code manifest-summary.json} and {@code manifest-files.json}
 * in the format of DynamoDB's guide, describing the emulator's file, between the export and the finisher.
 */
@Tag("emulator")
class ExportValidationIT {

    private BackupFixture fixture;
    private String reports;

    @BeforeEach
    void standUp() {
        fixture = new BackupFixture(Map.of());
        reports = fixture.table("IncidentReportsTable");
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anExportMatchingItsManifestsIsBackedUpWithEachFilesItemCount() {
        fixture.putItems(reports, 12);
        String runId = fixture.start().runId();
        Export export = completed(runId);
        describe(runId, export, 12, export.dataFile().eTag());

        BackupFixture.finishRun(runId, fixture::finish);

        TableManifest backup = fixture.stores().replica().tableManifest(runId, reports).orElseThrow();
        assertEquals(1, backup.files().size());
        assertEquals(12L, backup.files().getFirst().items(), "the item count of manifest-files.json");
        assertTrue(backup.files().getFirst().key().endsWith(export.dataFile().key().substring(export.dataFile().key().lastIndexOf('/'))));
    }

    @Test
    void aFileChangedAfterTheExportFailsTheTableNamingIt() {
        fixture.putItems(reports, 5);
        String runId = fixture.start().runId();
        Export export = completed(runId);
        describe(runId, export, 5, "\"0123456789abcdef0123456789abcdef\"");

        BackupFixture.finishRun(runId, fixture::finish);

        Manifest.TableResult result = fixture.stores().primary().manifest(runId).orElseThrow().table(reports).orElseThrow();
        assertEquals(TableStatus.FAILED, result.status());
        assertTrue(result.error().contains("file " + export.dataFile().key()) && result.error().contains("changed after the export"), result.error());
    }

    @Test
    void aSummaryCountingOtherItemsThanDescribeExportFailsTheTable() {
        fixture.putItems(reports, 5);
        String runId = fixture.start().runId();
        Export export = completed(runId);
        describe(runId, export, 6, export.dataFile().eTag());

        BackupFixture.finishRun(runId, fixture::finish);

        String error = fixture.stores().primary().manifest(runId).orElseThrow().table(reports).orElseThrow().error();
        assertTrue(error.contains("counts 6 items, DescribeExport 5"), error);
    }

    @Test
    void aFileBesideTheListedOnesFailsTheTable() {
        fixture.putItems(reports, 5);
        String runId = fixture.start().runId();
        Export export = completed(runId);
        describe(runId, export, 5, export.dataFile().eTag());
        String stray = export.directory() + "/data/planted.json.gz";
        fixture.stores().work().s3().putObject(r -> r.bucket(fixture.stores().work().bucket()).key(stray), RequestBody.fromString("{}"));

        BackupFixture.finishRun(runId, fixture::finish);

        String error = fixture.stores().primary().manifest(runId).orElseThrow().table(reports).orElseThrow().error();
        assertTrue(error.contains("sit beside the export") && error.contains(stray), error);
    }

    private record Export(ExportDescription description, String directory, S3Object dataFile) {
    }

    /** The table's export once DynamoDB completed it, with the one data file the emulator wrote. */
    private Export completed(String runId) {
        String arn = fixture.stores().work().read(WorkBucket.stateKey(runId), RunState.class).orElseThrow().value().table(reports).exportArn();
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        ExportDescription description;
        while ((description = fixture.stack.dynamoDb().describeExport(r -> r.exportArn(arn)).exportDescription()).exportStatus() != ExportStatus.COMPLETED) {
            assertTrue(System.nanoTime() < giveUp, "export did not complete: " + description);
            RestoreService.sleep(200);
        }
        List<S3Object> files = fixture.stores().work().list(WorkBucket.exportPrefix(runId, reports) + "/AWSDynamoDB/");
        assertEquals(1, files.size(), files.toString());
        S3Object data = files.getFirst();
        return new Export(description, data.key().substring(0, data.key().indexOf("/data/")), data);
    }

    /**
     * Writes the two manifests as DynamoDB's guide shows them ("DynamoDB table export output format"): keys
     * relative to the export prefix, the summary pointing at the files manifest, one JSON line per data file.
     */
    private void describe(String runId, Export export, long items, String etag) {
        String prefix = WorkBucket.exportPrefix(runId, reports) + "/";
        String relativeDirectory = export.directory().substring(prefix.length());
        String summary = """
                {
                   "version": "2020-06-30",
                   "exportArn": "%s",
                   "startTime": "2020-11-04T07:28:34.028Z",
                   "endTime": "2020-11-04T07:33:43.897Z",
                   "tableArn": "%s",
                   "tableId": "12345a12-abcd-123a-ab12-1234abc12345",
                   "exportTime": "2020-11-04T07:28:34.028Z",
                   "s3Bucket": "%s",
                   "s3Prefix": "%s",
                   "s3SseAlgorithm": "AES256",
                   "s3SseKmsKeyId": null,
                   "manifestFilesS3Key": "%s/manifest-files.json",
                   "billedSizeBytes": 0,
                   "itemCount": %d,
                   "outputFormat": "DYNAMODB_JSON"
                }
                """.formatted(export.description().exportArn(), export.description().tableArn(), fixture.stores().work().bucket(),
                prefix.substring(0, prefix.length() - 1), relativeDirectory, items);
        String files = "{\"itemCount\":" + items + ",\"md5Checksum\":\"sQMSpEILNgoQmarvDFonGQ==\",\"etag\":\"" + etag.replace("\"", "")
                + "\",\"dataFileS3Key\":\"" + export.dataFile().key().substring(prefix.length()) + "\"}\n";
        WorkBucket work = fixture.stores().work();
        work.s3().putObject(r -> r.bucket(work.bucket()).key(export.directory() + "/manifest-summary.json"), RequestBody.fromString(summary));
        work.s3().putObject(r -> r.bucket(work.bucket()).key(export.directory() + "/manifest-files.json"), RequestBody.fromString(files));
    }
}
