// Tells the server the browser's time zone, so that an anonymous reader sees times in
// it: a cookie `tz=<IANA name>`, checked against the known zones on the server. When a
// first page was shown in UTC for want of it (<body data-zone-unknown>, after a GET
// only), that page is loaded once more; never again, since the cookie is then set.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
    return;
  }
  function stored() {
    var match = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/);
    return match ? match[1] : null;
  }
  var known = stored();
  if (known === zone) {
    return;
  }
  document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" +
    (location.protocol === "https:" ? "; Secure" : "");
  // Reload only if the cookie was kept (cookies may be refused: no loop then).
  if (known === null && stored() === zone && zone !== "UTC" && zone !== "Etc/UTC" &&
      document.body.hasAttribute("data-zone-unknown")) {
    location.reload();
  }
})();
