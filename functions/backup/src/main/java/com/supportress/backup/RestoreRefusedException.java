package com.supportress.backup;

/**
 * A restore or verify that stopped before changing anything because its input is wrong: unknown backup,
 * table not in the backup, unknown region, a file whose checksum does not match, a non-empty target.
 * The message says what and where, for the operator reading the CLI or the function's error.
 */
public class RestoreRefusedException extends RuntimeException {

    public RestoreRefusedException(String message) {
        super(message);
    }
}
