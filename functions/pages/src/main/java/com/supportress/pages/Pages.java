package com.supportress.pages;

import com.supportress.shared.http.ApiResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The page files on the classpath (folder pages/), read once at start. Assets are looked up by a plain name only
 * ({@code upload.js}), so no request can reach any other resource.
 */
final class Pages {

    private static final Pattern ASSET_NAME = Pattern.compile("[a-z0-9-]+\\.(js|css)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    private static final List<String> FILES = List.of("index.html", "report.html", "assets/upload.js", "assets/upload-parts.js",
            "assets/upload-hash.js", "assets/signin.js", "assets/report.js", "assets/page.css");
    // Pages change with deployments: a browser may keep a copy but must ask again before using it.
    private static final String CACHE = "no-cache";

    private final Map<String, String> files;

    private Pages(Map<String, String> files) {
        this.files = Map.copyOf(files);
    }

    static Pages load() {
        Map<String, String> files = new HashMap<>();
        for (String name : FILES) {
            try (InputStream in = Pages.class.getClassLoader().getResourceAsStream("pages/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("pages/" + name + " is missing from the function's jar");
                }
                files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Pages(files);
    }

    /** An HTML page under the given Content-Security-Policy; it leaks no URL to the sites it links to. */
    ApiResponse document(String name, String contentSecurityPolicy) {
        return new ApiResponse(200, Map.of(
                "content-type", TYPES.get("html"),
                "cache-control", CACHE,
                "content-security-policy", contentSecurityPolicy,
                "referrer-policy", "no-referrer"), files.get(name));
    }

    Optional<ApiResponse> asset(String name) {
        if (!ASSET_NAME.matcher(name).matches() || !files.containsKey("assets/" + name)) {
            return Optional.empty();
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        return Optional.of(new ApiResponse(200, Map.of("content-type", type, "cache-control", CACHE), files.get("assets/" + name)));
    }
}
