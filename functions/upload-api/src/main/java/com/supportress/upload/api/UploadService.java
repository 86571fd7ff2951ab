package com.supportress.upload.api;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.http.FieldError;
import com.supportress.shared.ids.UnguessableIds;
import com.supportress.shared.log.LogContext;
import com.supportress.upload.store.FinalStatusMetric;
import com.supportress.upload.store.S3Checksums;
import com.supportress.upload.store.TenantQuota;
import com.supportress.upload.store.UploadKeys;
import com.supportress.upload.store.UploadMode;
import com.supportress.upload.store.UploadRecord;
import com.supportress.upload.store.UploadStatus;
import com.supportress.upload.store.UploadStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Presigned uploads for one tenant at a time: records the declared file, hands out URLs that only
 * accept exactly that file, and drives S3 multipart for large ones. An upload of another tenant is
 * answered exactly like an unknown one, so ids leak nothing across tenants.
 */
@Singleton
public class UploadService {

    private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);
    private static final Duration OPEN_UPLOAD_RETRY = Duration.ofSeconds(60);

    private final UploadStore store;
    private final UploadBucket bucket;
    private final UploadApiConfig config;
    private final Clock clock;
    private final FinalStatusMetric finalStatus;

    public UploadService(UploadStore store, UploadBucket bucket, UploadApiConfig config, Clock clock, FinalStatusMetric finalStatus) {
        this.store = store;
        this.bucket = bucket;
        this.config = config;
        this.clock = clock;
        this.finalStatus = finalStatus;
    }

    public UploadViews.Instructions create(String tenant, UploadRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String uploadId = newUploadId();
        LogContext.put("uploadId", uploadId);
        String key = UploadKeys.objectKey(tenant, uploadId);
        Instant expiresAt = now.plus(config.uploadWindow());
        if (request.method() == UploadMode.PUT) {
            record(UploadRecord.pending(uploadId, tenant, request.fileName(), request.contentType(), request.size(),
                    request.sha256(), UploadMode.PUT, Optional.empty(), request.size(), 1, now, expiresAt));
            LOG.info("upload created mode=PUT size={}", request.size());
            return UploadViews.Instructions.put(uploadId,
                    bucket.presignPut(key, request.contentType(), request.size(), request.sha256().orElseThrow(), config.urlExpiry()));
        }
        long partSize = partSize(request.size());
        int partCount = Math.toIntExact(ceilDiv(request.size(), partSize));
        String multipartId = bucket.startMultipart(key, request.contentType());
        try {
            record(UploadRecord.pending(uploadId, tenant, request.fileName(), request.contentType(), request.size(),
                    request.sha256(), UploadMode.MULTIPART, Optional.of(multipartId), partSize, partCount, now, expiresAt));
        } catch (RuntimeException e) {
            // No record, no open multipart upload (not even one refused by the quota): nothing is left half-made.
            bucket.abortMultipart(key, multipartId);
            throw e;
        }
        LOG.info("upload created mode=MULTIPART size={} parts={}", request.size(), partCount);
        return UploadViews.Instructions.multipart(uploadId, partSize, partCount, expiresAt.toString());
    }

    /** Records the upload against its tenant's quota; past a limit, 429 with when to try again. */
    private void record(UploadRecord upload) {
        try {
            store.create(upload, config.quota());
        } catch (TenantQuota.ExceededException e) {
            LOG.info("upload refused: tenant quota {} reached", e.limit());
            throw new ClientErrorException(new ClientError.RateLimited(retryAfterSeconds(e.limit(), upload.createdAt())));
        }
    }

    /**
     * A slot frees as soon as one of the tenant's open uploads is stored, failed or aborted, which is usually a
     * matter of seconds; the day's bytes come back at midnight UTC; a race between the tenant's own requests is over at once.
     */
    static long retryAfterSeconds(TenantQuota.Limit limit, Instant now) {
        return switch (limit) {
            case OPEN_UPLOADS -> OPEN_UPLOAD_RETRY.toSeconds();
            case CONCURRENT_REQUESTS -> 1;
            case BYTES_PER_DAY -> Math.max(1, Duration.between(now,
                    now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds());
        };
    }

    public UploadViews.Status status(String tenant, String uploadId) {
        return UploadViews.Status.of(owned(tenant, uploadId));
    }

    /** URLs for the requested parts, each signed over the part's length and the SHA-256 the client declares for it. */
    public UploadViews.PartUrls partUrls(String tenant, String uploadId, Function<Integer, List<PartSelection.RequestedPart>> selectParts) {
        UploadRecord upload = openMultipart(tenant, uploadId);
        List<UploadViews.PartUrl> urls = new ArrayList<>();
        for (PartSelection.RequestedPart part : selectParts.apply(upload.partCount())) {
            UploadBucket.SignedRequest signed = bucket.presignPart(upload.objectKey(), upload.multipartUploadId().orElseThrow(),
                    part.partNumber(), upload.partLength(part.partNumber()), part.sha256(), config.urlExpiry());
            urls.add(new UploadViews.PartUrl(part.partNumber(), signed.url(), signed.headers(), signed.expiresAt()));
        }
        return new UploadViews.PartUrls(urls);
    }

    public UploadViews.UploadedParts uploadedParts(String tenant, String uploadId) {
        UploadRecord upload = openMultipart(tenant, uploadId);
        return new UploadViews.UploadedParts(openParts(upload));
    }

    /**
     * Completes a multipart upload only when every part is in S3 with the ETag and SHA-256 the client names and
     * the size the declared file implies; otherwise 400, and the upload stays open for the client to fix. The
     * composite checksum those part SHA-256s imply is recorded first: it is what ingest requires S3 to report.
     */
    public UploadViews.Status complete(String tenant, String uploadId, Function<Integer, List<PartSelection.ClaimedPart>> readParts) {
        UploadRecord upload = openMultipart(tenant, uploadId);
        List<PartSelection.ClaimedPart> claimed = readParts.apply(upload.partCount());
        String multipartId = upload.multipartUploadId().orElseThrow();
        Map<Integer, UploadBucket.UploadedPart> held = openParts(upload).stream()
                .collect(Collectors.toMap(UploadBucket.UploadedPart::partNumber, Function.identity()));
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            PartSelection.ClaimedPart part = claimed.get(i);
            UploadBucket.UploadedPart stored = held.get(part.partNumber());
            if (stored == null) {
                errors.add(new FieldError("parts[" + i + "]", "part " + part.partNumber() + " has not been uploaded"));
            } else if (!unquoted(stored.etag()).equals(unquoted(part.etag()))) {
                errors.add(new FieldError("parts[" + i + "].etag", "does not match the ETag S3 returned for part " + part.partNumber()));
            } else if (stored.sha256() != null && !stored.sha256().equals(part.sha256())) {
                errors.add(new FieldError("parts[" + i + "].sha256", "does not match the SHA-256 S3 verified for part " + part.partNumber()));
            } else if (stored.size() != upload.partLength(part.partNumber())) {
                errors.add(new FieldError("parts[" + i + "]", "part " + part.partNumber() + " is " + stored.size()
                        + " bytes; expected " + upload.partLength(part.partNumber())));
            }
        }
        if (!errors.isEmpty()) {
            throw PartSelection.invalid(errors);
        }
        String composite = S3Checksums.composite(claimed.stream().map(PartSelection.ClaimedPart::sha256).toList());
        if (!store.recordCompositeSha256(uploadId, composite)) {
            throw new ClientErrorException(new ClientError.Conflict("upload changed while completing; read its status again"));
        }
        try {
            bucket.completeMultipart(upload.objectKey(), multipartId, claimed.stream()
                    .map(part -> new UploadBucket.UploadedPart(part.partNumber(), 0, held.get(part.partNumber()).etag(), part.sha256()))
                    .toList());
        } catch (S3Exception e) {
            if (e.statusCode() != 400) {
                throw e;
            }
            // S3 refuses a part whose checksum or ETag it does not hold (InvalidPart, BadDigest): the client's to fix.
            throw PartSelection.invalid("parts", "S3 refused to assemble the parts: " + e.awsErrorDetails().errorCode());
        }
        LOG.info("multipart upload completed parts={}", claimed.size());
        return UploadViews.Status.of(store.find(uploadId).orElseThrow());
    }

    /**
     * Aborts a pending upload: its key gets the closing marker and its multipart upload (if any) is aborted; bytes
     * that arrived anyway are removed by the ingest function when the marker's event reaches it.
     */
    public UploadViews.Status abort(String tenant, String uploadId) {
        UploadRecord upload = owned(tenant, uploadId);
        if (upload.status() != UploadStatus.PENDING) {
            throw new ClientErrorException(new ClientError.Conflict("upload is " + upload.status().wireName() + "; only a pending upload can be aborted"));
        }
        if (!store.markFailed(uploadId, "aborted by the client", clock.instant())) {
            throw new ClientErrorException(new ClientError.Conflict("upload changed while aborting; read its status again"));
        }
        finalStatus.reached(uploadId, UploadStatus.FAILED);
        // The marker first: from then on neither a still-valid PUT URL nor a racing completion can write the key.
        bucket.close(upload.objectKey(), "aborted");
        upload.multipartUploadId().ifPresent(id -> bucket.abortMultipart(upload.objectKey(), id));
        LOG.info("upload aborted");
        return UploadViews.Status.of(store.find(uploadId).orElseThrow());
    }

    private UploadRecord owned(String tenant, String uploadId) {
        LogContext.put("uploadId", uploadId);
        return Optional.of(uploadId)
                .filter(id -> UploadKeys.UPLOAD_ID.matcher(id).matches())
                .flatMap(store::find)
                .filter(upload -> upload.tenant().equals(tenant))
                .orElseThrow(() -> new ClientErrorException(new ClientError.NotFound("no upload " + uploadId)));
    }

    private UploadRecord openMultipart(String tenant, String uploadId) {
        UploadRecord upload = owned(tenant, uploadId);
        if (upload.mode() != UploadMode.MULTIPART) {
            throw new ClientErrorException(new ClientError.Conflict("upload is a single PUT, not multipart"));
        }
        if (upload.expired(clock.instant())) {
            throw new ClientErrorException(new ClientError.NotFound("upload " + uploadId + " has expired; start a new one"));
        }
        if (upload.status() != UploadStatus.PENDING) {
            throw new ClientErrorException(new ClientError.Conflict("upload is " + upload.status().wireName() + ", no longer open"));
        }
        return upload;
    }

    private List<UploadBucket.UploadedPart> openParts(UploadRecord upload) {
        return bucket.listParts(upload.objectKey(), upload.multipartUploadId().orElseThrow()).orElseThrow(() ->
                new ClientErrorException(new ClientError.Conflict("upload is already complete; read its status")));
    }

    /** The configured part size, grown in whole MiB when the file would otherwise need more than S3's 10,000 parts. */
    long partSize(long size) {
        long needed = ceilDiv(size, UploadApiConfig.S3_MAX_PARTS);
        return Math.max(config.partSizeBytes(), ceilDiv(needed, UploadApiConfig.MIB) * UploadApiConfig.MIB);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static String unquoted(String etag) {
        return etag.replace("\"", "");
    }

    /** "upl_" and 40 hex digits: 160 random bits, the only variable part of an object key. */
    static String newUploadId() {
        return UnguessableIds.hex("upl_");
    }
}
