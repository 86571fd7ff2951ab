package com.supportress.incident;

import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.shared.ids.UnguessableIds;
import com.supportress.upload.api.UploadApiConfig;
import com.supportress.upload.api.UploadBucket;
import com.supportress.upload.api.UploadRequest;
import com.supportress.upload.store.UploadKeys;
import com.supportress.upload.store.UploadMode;
import com.supportress.upload.store.UploadRecord;
import com.supportress.upload.store.UploadStatus;
import com.supportress.upload.store.UploadStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Files a reporter attaches (screenshots, logs): uploads like any tenant's, on the same pipeline, only owned by the
 * report ({@link UploadKeys#reportOwner}, keys under {@code reports/<id>/}) instead of a tenant. The reporter gets a
 * presigned PUT signed over type, length and SHA-256 from upload-api's signing; the bucket's notification sends the
 * object through upload-ingest's checks, quarantine and replication. At most {@link #MAX_PER_REPORT} per report, each
 * up to {@code ATTACHMENT_MAX_BYTES}, one PUT each. The team downloads them through short-lived presigned GETs that
 * make the browser save, never render, the file.
 */
@Singleton
public class Attachments {

    private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);
    static final int MAX_PER_REPORT = 5;
    static final Duration DOWNLOAD_EXPIRY = Duration.ofMinutes(5);

    private final ResponseStore store;
    private final UploadStore uploads;
    private final UploadBucket bucket;
    private final UploadApiConfig uploadConfig;
    private final ResponseConfig config;
    private final S3Presigner presigner;
    private final Clock clock;

    public Attachments(ResponseStore store, UploadStore uploads, UploadBucket bucket, UploadApiConfig uploadConfig,
                       ResponseConfig config, S3Presigner presigner, Clock clock) {
        this.store = store;
        this.uploads = uploads;
        this.bucket = bucket;
        this.uploadConfig = uploadConfig;
        this.config = config;
        this.presigner = presigner;
        this.clock = clock;
    }

    /** Records the attachment on the report and returns where the reporter PUTs its bytes. */
    public ResponseViews.AttachmentUpload create(ReportCase report, UploadRequest request, TransactWriteItem rateSlot,
                                                 ClientErrorException rateLimited) {
        if (request.size() > config.attachmentMaxBytes()) {
            throw new ClientErrorException(ClientError.InvalidFields.of("size",
                    "an attachment is at most " + config.attachmentMaxBytes() + " bytes"));
        }
        if (request.sha256().isEmpty()) {
            throw new ClientErrorException(ClientError.InvalidFields.of("sha256", "is required: S3 checks the bytes against it"));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String uploadId = UnguessableIds.hex("upl_");
        UploadRecord upload = UploadRecord.pending(uploadId, UploadKeys.reportOwner(report.id()), request.fileName(), request.contentType(),
                request.size(), request.sha256(), UploadMode.PUT, Optional.empty(), request.size(), 1, now, now.plus(uploadConfig.uploadWindow()));
        return switch (store.addAttachment(report.id(), upload, uploads.createOutsideQuota(upload), MAX_PER_REPORT, rateSlot, now)) {
            case ResponseStore.WriteResult.Written written -> {
                LOG.info("attachment {} added", uploadId);
                UploadBucket.SignedRequest put = bucket.presignPut(upload.objectKey(), upload.contentType(), upload.size(),
                        request.sha256().orElseThrow(), uploadConfig.urlExpiry());
                yield new ResponseViews.AttachmentUpload(uploadId, "PUT", put.url(), put.headers(), put.expiresAt());
            }
            case ResponseStore.WriteResult.Refused refused -> throw new ClientErrorException(new ClientError.Conflict(
                    refused.current().map(ReportCase::status).orElse(report.status()) == ReportStatus.RESOLVED || report.minimised()
                            ? "the report is resolved; it takes no more attachments"
                            : "a report takes at most " + MAX_PER_REPORT + " attachments"));
            case ResponseStore.WriteResult.RateLimited limited -> throw rateLimited;
        };
    }

    /** The report's attachments as the reporter sees them: name, type, size and where the checks got. */
    public List<ResponseViews.Attachment> forReporter(String reportId) {
        return store.activity(reportId, Activity.ATTACHMENT, ActivityEntries.Attachment::fromItem).stream()
                .map(attachment -> view(attachment, false)).toList();
    }

    /** The same for the team, with a download link for every file that passed the checks. */
    public List<ResponseViews.Attachment> forTeam(String reportId) {
        return store.activity(reportId, Activity.ATTACHMENT, ActivityEntries.Attachment::fromItem).stream()
                .map(attachment -> view(attachment, true)).toList();
    }

    private ResponseViews.Attachment view(ActivityEntries.Attachment attachment, boolean withDownload) {
        Optional<UploadRecord> upload = uploads.find(attachment.uploadId());
        String status = upload.map(u -> u.status().wireName()).orElse("unknown");
        String reason = upload.flatMap(UploadRecord::reason).orElse(null);
        boolean checked = upload.map(u -> u.status() == UploadStatus.STORED || u.status() == UploadStatus.REPLICATED).orElse(false);
        String download = null;
        if (withDownload && checked && attachment.fileName().isPresent()) {
            UploadRecord stored = upload.get();
            download = presigner.presignGetObject(p -> p.signatureDuration(DOWNLOAD_EXPIRY).getObjectRequest(get -> get
                    .bucket(uploadConfig.bucket()).key(stored.objectKey())
                    .responseContentType(stored.contentType())
                    .responseContentDisposition("attachment; filename=\"" + attachment.uploadId() + "\"; filename*=UTF-8''"
                            + URLEncoder.encode(attachment.fileName().get(), StandardCharsets.UTF_8).replace("+", "%20"))))
                    .url().toString();
        }
        return new ResponseViews.Attachment(attachment.uploadId(), attachment.fileName().orElse(null), attachment.contentType(),
                attachment.size(), attachment.at(), status, reason, download);
    }
}
