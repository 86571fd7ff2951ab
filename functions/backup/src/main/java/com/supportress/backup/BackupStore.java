package com.supportress.backup;

import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The layout of backups in one bucket (the stack region's or its copy in the second region):
 * {@code runs/<runId>/<table>/data/<file>.json.gz}, the copies of DynamoDB's export files with the SHA-256
 * S3 computed; {@code runs/<runId>/<table>/manifest.json}, written once after the table's files are in
 * place; and {@code runs/<runId>/manifest.json}, written last, once every table of the run is settled.
 * Run ids start with their UTC start time, so they sort by age and retention can date a run that never
 * got a manifest. Every call names the expected bucket owner, so a bucket re-created by someone else
 * under the same name is refused rather than written to.
 */
public final class BackupStore {

    static final String RUNS = "runs/";
    static final String MANIFEST = "manifest.json";
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final OwnedBucket objects;
    private final S3Client s3;
    private final String bucket;
    private final Region region;
    private final String owner;
    private final JsonMapper json;

    public BackupStore(S3Client s3, String bucket, Region region, String owner, JsonMapper json) {
        this.objects = new OwnedBucket(s3, bucket, owner);
        this.s3 = s3;
        this.bucket = bucket;
        this.region = region;
        this.owner = owner;
        this.json = json;
    }

    public String bucket() {
        return bucket;
    }

    public Region region() {
        return region;
    }

    String owner() {
        return owner;
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

    static String dataPrefix(String runId, String table) {
        return RUNS + runId + "/" + table + "/data/";
    }

    static String tableManifestKey(String runId, String table) {
        return RUNS + runId + "/" + table + "/" + MANIFEST;
    }

    static String manifestKey(String runId) {
        return RUNS + runId + "/" + MANIFEST;
    }

    /** Every run id in the bucket, complete or not, oldest first. */
    public List<String> runIds() {
        return List.copyOf(runs().keySet());
    }

    /**
     * Run ids, newest first, from one delimiter listing (a few keys per run, whatever the run's size).
     * An emulator may still list a run whose objects only have delete markers left; such a run has no
     * manifest, which is all readers of this list look for.
     */
    List<String> runIdsNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(RUNS).delimiter("/").expectedBucketOwner(owner))) {
            for (CommonPrefix prefix : page.commonPrefixes()) {
                ids.add(prefix.prefix().substring(RUNS.length(), prefix.prefix().length() - 1));
            }
        }
        ids.sort(Comparator.reverseOrder());
        return ids;
    }

    /**
     * Run id to "has a manifest", from one listing of every key. Not a delimiter listing: moto reports a
     * common prefix for keys that only have delete markers left, so pruned runs would seem to linger.
     */
    private SortedMap<String, Boolean> runs() {
        SortedMap<String, Boolean> runs = new TreeMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(RUNS).expectedBucketOwner(owner)).contents()) {
            String rest = object.key().substring(RUNS.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                runs.merge(rest.substring(0, slash), rest.substring(slash + 1).equals(MANIFEST), Boolean::logicalOr);
            }
        }
        return runs;
    }

    public Optional<Manifest> manifest(String runId) {
        return read(manifestKey(runId), Manifest.class);
    }

    public Optional<TableManifest> tableManifest(String runId, String table) {
        return read(tableManifestKey(runId, table), TableManifest.class);
    }

    /** The newest run that has a manifest. */
    public Optional<Manifest> latest() {
        for (String runId : runIdsNewestFirst()) {
            Optional<Manifest> manifest = manifest(runId);
            if (manifest.isPresent()) {
                return manifest;
            }
        }
        return Optional.empty();
    }

    /** The newest backup of one table in this bucket: its manifest is written only once its files are verified here. */
    public Optional<TableManifest> latestOf(String table) {
        for (String runId : runIdsNewestFirst()) {
            Optional<TableManifest> manifest = tableManifest(runId, table);
            if (manifest.isPresent()) {
                return manifest;
            }
        }
        return Optional.empty();
    }

    private <T> Optional<T> read(String key, Class<T> type) {
        try {
            return Optional.of(json.readValue(objects.get(key).asByteArray(), type));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + " in " + bucket, e);
        }
    }

    /**
     * Writes a manifest unless one is already there (If-None-Match), so a manifest is written exactly once:
     * a finisher that lost its lease, or a retry after a crash, cannot replace it. False when it existed.
     */
    boolean writeOnce(String key, Object value) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + key, e);
        }
        try {
            objects.putJson(key, body, r -> r.ifNoneMatch("*").checksumAlgorithm(ChecksumAlgorithm.SHA256));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    /** The object's size and the checksums S3 stored with it, or empty when it is absent. */
    Optional<HeadObjectResponse> head(String key) {
        return objects.head(key);
    }

    /** Every key under a prefix with its size. */
    List<S3Object> list(String prefix) {
        return objects.list(prefix);
    }

    InputStream open(String key) {
        return objects.open(key);
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
        s3.deleteObject(r -> r.bucket(bucket).key(manifestKey(runId)).expectedBucketOwner(owner));
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(RUNS + runId + "/").expectedBucketOwner(owner)).contents()) {
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
        var response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)).expectedBucketOwner(owner));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            throw new IllegalStateException("could not delete " + response.errors().size() + " objects from " + bucket
                    + ", first: " + response.errors().getFirst().key() + " " + response.errors().getFirst().message());
        }
        batch.clear();
    }
}
