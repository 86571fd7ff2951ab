package com.supportress.billing;

/** A verified event whose JSON lacks what its type must carry: the sender is told with a 400, nothing is stored. */
public final class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message, null, false, false);
    }
}
