package com.supportress.backup;

import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The layout of backups in one bucket: {@code runs/<runId>/<table>/<segment>-<file>.json.gz} and,
 * written last, {@code runs/<runId>/manifest.json}. Run ids start with their UTC start time, so they
 * sort by age and retention can date a run that never got a manifest.
 */
public final class BackupStore {

    static final String RUNS = "runs/";
    static final String MANIFEST = "manifest.json";
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final Region region;
    private final JsonMapper json;

    public BackupStore(S3Client s3, String bucket, Region region, JsonMapper json) {
        this.s3 = s3;
        this.bucket = bucket;
        this.region = region;
        this.json = json;
    }

    public String bucket() {
        return bucket;
    }

    public Region region() {
        return region;
    }

    S3Client s3() {
        return s3;
    }

    /** A new run id: the start time to the second, and a random suffix so two runs in one second differ. */
    static String newRunId(Instant startedAt) {
        return RUN_TIME.format(startedAt) + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    static Optional<Instant> startOf(String runId) {
        try {
            return Optional.of(Instant.from(RUN_TIME.parse(runId.substring(0, Math.min(runId.length(), 16)))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String fileKey(String runId, String table, int segment, int file) {
        return RUNS + runId + "/" + table + "/" + String.format("%03d-%04d.json.gz", segment, file);
    }

    static String manifestKey(String runId) {
        return RUNS + runId + "/" + MANIFEST;
    }

    /** Every run id in the bucket, complete or not, oldest first. */
    public List<String> runIds() {
        return List.copyOf(runs().keySet());
    }

    /**
     * Run id to "has a manifest", from one listing of every key. Not a delimiter listing: moto reports a
     * common prefix for keys that only have delete markers left, so pruned runs would seem to linger.
     */
    private SortedMap<String, Boolean> runs() {
        SortedMap<String, Boolean> runs = new TreeMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(RUNS)).contents()) {
            String rest = object.key().substring(RUNS.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                runs.merge(rest.substring(0, slash), rest.substring(slash + 1).equals(MANIFEST), Boolean::logicalOr);
            }
        }
        return runs;
    }

    public Optional<Manifest> manifest(String runId) {
        try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(manifestKey(runId)))) {
            return Optional.of(json.readValue(in.readAllBytes(), Manifest.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of run " + runId + " in " + bucket, e);
        }
    }

    /** The newest run that has a manifest. */
    public Optional<Manifest> latest() {
        List<String> ids = runIds();
        for (int i = ids.size() - 1; i >= 0; i--) {
            Optional<Manifest> manifest = manifest(ids.get(i));
            if (manifest.isPresent()) {
                return manifest;
            }
        }
        return Optional.empty();
    }

    void writeManifest(Manifest manifest) {
        try {
            byte[] body = json.writeValueAsBytes(manifest);
            s3.putObject(r -> r.bucket(bucket).key(manifestKey(manifest.runId())).contentType("application/json"), RequestBody.fromBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the manifest of run " + manifest.runId(), e);
        }
    }

    InputStream open(String key) {
        return s3.getObject(r -> r.bucket(bucket).key(key));
    }

    /** Retention's view of this bucket: every run dated by its id, complete when it has a manifest. */
    List<RetentionPolicy.Snapshot> snapshots() {
        List<RetentionPolicy.Snapshot> snapshots = new ArrayList<>();
        runs().forEach((runId, complete) -> startOf(runId).ifPresent(start -> snapshots.add(new RetentionPolicy.Snapshot(runId, start, complete))));
        return snapshots;
    }

    /**
     * Deletes a run's objects, manifest first so a half-deleted run never looks complete. In a versioned
     * bucket with Object Lock this only adds delete markers: the locked versions stay until their
     * retention ends and the lifecycle rule expires them.
     */
    void deleteRun(String runId) {
        s3.deleteObject(r -> r.bucket(bucket).key(manifestKey(runId)));
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(RUNS + runId + "/")).contents()) {
            batch.add(ObjectIdentifier.builder().key(object.key()).build());
            if (batch.size() == 1000) {
                deleteBatch(batch);
            }
        }
        if (!batch.isEmpty()) {
            deleteBatch(batch);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> batch) {
        List<ObjectIdentifier> keys = List.copyOf(batch);
        var response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            throw new IllegalStateException("could not delete " + response.errors().size() + " objects from " + bucket
                    + ", first: " + response.errors().getFirst().key() + " " + response.errors().getFirst().message());
        }
        batch.clear();
    }
}
