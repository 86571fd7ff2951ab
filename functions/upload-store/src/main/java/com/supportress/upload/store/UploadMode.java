package com.supportress.upload.store;

/** How the browser sends the bytes: one presigned PUT, or S3 multipart with presigned parts. */
public enum UploadMode {
    PUT,
    MULTIPART
}
