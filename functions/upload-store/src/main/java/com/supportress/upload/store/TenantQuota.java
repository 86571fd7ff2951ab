package com.supportress.upload.store;

/**
 * What one tenant may hold at once and start per day: open (pending) uploads, and bytes declared for new
 * uploads per UTC day. Counted in the uploads table itself, in the same transactions that create and
 * close uploads, so the limits hold across Lambda instances and concurrent requests.
 */
public record TenantQuota(int maxOpenUploads, long maxBytesPerDay) {

    /** The open uploads are kept as a set of ids in one item, which must stay well under DynamoDB's 400 KB. */
    public static final int MAX_OPEN_UPLOADS_LIMIT = 1000;

    public TenantQuota {
        if (maxOpenUploads < 1 || maxOpenUploads > MAX_OPEN_UPLOADS_LIMIT) {
            throw new IllegalStateException("MAX_OPEN_UPLOADS_PER_TENANT must be 1 to " + MAX_OPEN_UPLOADS_LIMIT);
        }
        if (maxBytesPerDay < 1) {
            throw new IllegalStateException("MAX_UPLOAD_BYTES_PER_TENANT_PER_DAY must be at least 1");
        }
    }

    /** Which limit refused a new upload. */
    public enum Limit {
        OPEN_UPLOADS,
        BYTES_PER_DAY,
        /** Too many of the tenant's requests raced for its counters at the same moment, even after retries. */
        CONCURRENT_REQUESTS
    }

    /** A new upload would pass a limit; nothing was recorded. */
    public static final class ExceededException extends RuntimeException {

        private final Limit limit;

        public ExceededException(Limit limit) {
            super("tenant quota exceeded: " + limit, null, false, false);
            this.limit = limit;
        }

        public Limit limit() {
            return limit;
        }
    }
}
