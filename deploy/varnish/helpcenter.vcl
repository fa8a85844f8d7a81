vcl 4.1;
# Varnish (Debian's `varnish` 7.1) in front of the help center's gunicorn: see docs/deploy.md,
# "A shared cache in front". The app decides what may be shared (`Cache-Control: public` with
# `s-maxage` and `stale-while-revalidate`, no Set-Cookie); this file only keeps Varnish from
# sharing anything else and from letting cookies split or leak the cached pages.
#
#     varnishd -a 127.0.0.1:6081 -f /etc/varnish/helpcenter.vcl -s malloc,256m
#
# Edit the backend's address and the `languages` list below to match the site.

import std;

backend helpcenter {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;  # gunicorn's own timeout is 30 s
}

# Who may BAN or PURGE (the helpcenter nodes send them after a re-index: CACHE_PURGE_URL).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN" || req.method == "PURGE") {
        # From the help center itself only: a loopback address, and not relayed by the TLS
        # proxy in front (on the same machine its requests come from loopback too, but carry
        # the customer's address in X-Forwarded-For, to which Varnish has added the proxy's).
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(405, "Not allowed"));
        }
    }
    if (req.method == "BAN") {
        # `helpcenter` sends `X-Ban-Url: <regex of paths>`; the ban tests the path stored on
        # each object (x-url), so Varnish's ban lurker clears the objects in the background.
        if (!req.http.X-Ban-Url) {
            return (synth(400, "X-Ban-Url missing"));
        }
        ban("obj.http.x-url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned"));
    }
    if (req.method == "PURGE") {
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # Votes, the view beacon, the contact form, staff actions: always the app, cookies
        # (hc_visitor, the session) included.
        return (pass);
    }
    # Never shared: what one person typed or may see, and the checks of the service itself.
    if (req.url ~ "^/(login|logout|reports|staff|healthz|metrics)(/|\?|$)"
        || req.url ~ "^/[a-z]{2,3}(-[a-zA-Z]+)?/(contact|feedback)(/|\?|$)"
        || req.url ~ "^/[a-z]{2,3}(-[a-zA-Z]+)?/search/click(\?|$)") {
        return (pass);
    }
    if (req.url ~ "^/(\?.*)?$") {
        # `/` sends a customer to their language: a remembered choice (the language cookie)
        # goes to the app; otherwise the cache keeps one answer per supported language.
        if (req.http.Cookie ~ "(^|;\s*)hc_lang=") {
            return (pass);
        }
        if (req.http.Accept-Language ~ "(?i)\b(en|pl|he|lt|el|hr)\b") {
            set req.http.Accept-Language = regsub(
                req.http.Accept-Language, "(?i)^.*?\b(en|pl|he|lt|el|hr)\b.*$", "\1");
            set req.http.Accept-Language = std.tolower(req.http.Accept-Language);
        } else {
            unset req.http.Accept-Language;
        }
        unset req.http.Cookie;
        return (hash);
    }
    # Customer pages (home, categories, articles, search results, the sitemap) and files
    # (static, media, theme, icons): the same for everyone, so a visitor's cookies would only
    # keep the cache from answering.
    if (req.url ~ "^/[a-z]{2,3}(-[a-zA-Z]+)?/([^/?]+/([^/?]+)?)?(\?.*)?$"
        || req.url ~ "^/[a-z]{2,3}(-[a-zA-Z]+)?/search(\?.*)?$"
        || req.url ~ "^/(static|media)/"
        || req.url ~ "^/(sitemap\.xml|robots\.txt|theme\.css|favicon\.ico|apple-touch-icon\.png|logo)(\?.*)?$") {
        unset req.http.Cookie;
        return (hash);
    }
    # Anything else: Varnish's built-in rules (a request with a cookie goes to the app).
}

sub vcl_backend_response {
    # For bans: the path, kept on the object (removed again before delivery).
    set beresp.http.x-url = bereq.url;
    if (beresp.http.Set-Cookie
        || !beresp.http.Cache-Control
        || beresp.http.Cache-Control !~ "(?i)\bpublic\b"
        || beresp.http.Cache-Control ~ "(?i)\b(private|no-store|no-cache)\b"
        || beresp.http.Vary == "*") {
        # Only what the app marks public is shared. Not cached: the next request goes to
        # the app again (hit-for-miss, remembered for a minute).
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # Varnish 7.1 takes the lifetime from s-maxage/max-age itself; stale-while-revalidate
    # becomes the grace: a stale page is served at once while a fresh one is fetched.
    if (beresp.http.Cache-Control ~ "(?i)stale-while-revalidate=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control,
            "(?i)^.*stale-while-revalidate=([0-9]+).*$", "\1s"), 0s);
    } else {
        set beresp.grace = 0s;
    }
    # After that, keep it an hour more to revalidate with its ETag (If-None-Match -> 304).
    set beresp.keep = 1h;
}

sub vcl_deliver {
    unset resp.http.x-url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
