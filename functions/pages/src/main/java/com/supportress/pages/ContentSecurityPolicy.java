package com.supportress.pages;

import java.util.List;

/** The Content-Security-Policy of every page. */
final class ContentSecurityPolicy {

    private ContentSecurityPolicy() {
    }

    /**
     * Nothing inline and no eval (scripts and styles come from this origin as files), no plugins, frames, or
     * foreign images; fetch and XHR to this origin (the API), Cognito and the upload bucket only; forms post
     * nowhere else; no page may frame ours.
     */
    static String forPages(List<String> connectSources) {
        return String.join("; ",
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self'",
                "connect-src 'self' " + String.join(" ", connectSources),
                "form-action 'self'",
                "base-uri 'none'",
                "frame-ancestors 'none'");
    }
}
