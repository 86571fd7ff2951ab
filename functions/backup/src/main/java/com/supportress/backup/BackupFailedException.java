package com.supportress.backup;

/** A backup run that did not produce a good backup: it wrote no manifest, and the invocation fails so the alarm fires. */
public class BackupFailedException extends RuntimeException {

    public BackupFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public BackupFailedException(String message) {
        super(message);
    }
}
