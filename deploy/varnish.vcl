# Varnish in front of InsidersFeed, caching public pages by the app's own Cache-Control
# (s-maxage, stale-while-revalidate; private/no-store are never cached). The app purges what a
# change touches by tag (xkey, from each response's Surrogate-Key) through
# pages.purging.VarnishPurger: set CACHE_PURGER and CACHE_PURGE_URLS.
# Run varnishd with the parameters in deploy/varnishd.params (http_gzip_support off: the app
# sends gzip and Brotli itself, compressed once when the page is stored).
vcl 4.1;

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may send PURGE and BAN requests: the app instances.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Headers with underscores are how SCRIPT_NAME and PATH_INFO reach a WSGI server as if set
    # by a proxy; no client has a reason to send them (gunicorn ignores them as well).
    unset req.http.SCRIPT_NAME;
    unset req.http.PATH_INFO;
    unset req.http.REMOTE_USER;
    unset req.http.X_FORWARDED_PROTO;
    unset req.http.X_FORWARDED_FOR;
    unset req.http.X_FORWARDED_HOST;
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge !~ "^[a-z]+(-[0-9]+)?( [a-z]+(-[0-9]+)?)*$") {
            return (synth(400, "Bad tags"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # A path regular expression and nothing else: no spaces, quotes or operators that
        # could add a clause to the ban expression.
        if (req.http.X-Ban-Url !~ "^\^/[A-Za-z0-9/._()|?$!*+\\-]*$") {
            return (synth(400, "Bad ban pattern"));
        }
        # Lurker-friendly: match the URL stored on each object, not the request.
        ban("obj.http.x-url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Spellings that decode to another path (an encoded slash or backslash) are refused, so
    # no copy of a page is kept under an address a purge would not name.
    if (req.url ~ "(?i)%(2f|5c|00)") {
        return (synth(400, "Bad Request"));
    }
    # Logged-in staff never come from (or go into) the shared cache.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # No other cookie changes a public page.
    unset req.http.Cookie;
    # Two variants of an article address: Markdown for a client that ranks it above HTML,
    # else HTML. Normalised so the hash and the backend see the same one value.
    if (req.http.Accept ~ "(?i)text/markdown" &&
        req.http.Accept !~ "(?i)text/markdown\s*;\s*q=0(\.0*)?\s*(,|$)" &&
        (req.http.Accept !~ "(?i)text/html" ||
         req.http.Accept ~ "(?i)text/html\s*;\s*q=0")) {
        set req.http.Accept = "text/markdown";
    } else {
        set req.http.Accept = "text/html";
    }
    # Tracking parameters never split the cache (the app ignores them too).
    if (req.url ~ "[?&](utm_|fbclid|gclid)") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    set req.url = std.querysort(req.url);
    # Encodings normalised too, so Vary: Accept-Encoding splits nothing else.
    if (req.http.Accept-Encoding ~ "(?i)\bbr\b") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)\bgzip\b") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    } else {
        hash_data(server.ip);
    }
    # The HTTPS redirect answers plain HTTP only: never one protocol's answer for the other.
    hash_data(req.http.X-Forwarded-Proto);
    # The negotiated variant (normalised in vcl_recv): HTML and Markdown never share an object.
    hash_data(req.http.Accept);
    return (lookup);
}

sub vcl_backend_response {
    set beresp.http.x-url = bereq.url;
    # xkey indexes objects by this header; the app sends its tags as Surrogate-Key.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Only what the app says may be shared is kept: a response without Cache-Control (or with
    # no-store, private) is never cached here.
    if (!beresp.http.Cache-Control || beresp.http.Cache-Control ~ "(no-store|private|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Serve a stale copy while one background fetch refreshes it.
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1s"), 60s);
    }
}

sub vcl_deliver {
    unset resp.http.x-url;
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
