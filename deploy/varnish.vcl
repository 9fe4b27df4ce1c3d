# Varnish in front of InsidersFeed, caching public pages by the app's own Cache-Control
# (s-maxage, stale-while-revalidate; private/no-store are never cached). The app bans what
# changed through articles.purging.VarnishPurger: set CACHE_PURGER and CACHE_PURGE_URLS.
# Run varnishd with the parameters in deploy/varnishd.params.
vcl 4.1;

import std;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may send BAN requests: the app instances.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Lurker-friendly: match the URL stored on each object, not the request.
        ban("obj.http.x-url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
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
        unset req.http.Accept;
    }
    # Tracking parameters never split the cache (the app ignores them too).
    if (req.url ~ "[?&](utm_|fbclid|gclid)") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    return (hash);
}

sub vcl_hash {
    # The built-in hash (URL and host) follows; this keeps the variants apart.
    if (req.http.Accept) {
        hash_data(req.http.Accept);
    }
}

sub vcl_backend_response {
    set beresp.http.x-url = bereq.url;
    # Serve a stale copy while one background fetch refreshes it.
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1s"), 60s);
    }
}

sub vcl_deliver {
    unset resp.http.x-url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
