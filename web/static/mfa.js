// Passkeys and security keys (WebAuthn): the browser's part of the
// ceremonies on the account page (registration) and the login's second
// step (assertion). The server's options and the browser's answers travel
// as JSON with binary fields in base64url.
(function () {
  "use strict";
  if (!window.PublicKeyCredential) {
    return;
  }
  function fromB64(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) {
      s += "=";
    }
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out.buffer;
  }
  function toB64(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) {
      bin += String.fromCharCode(bytes[i]);
    }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function ids(list) {
    (list || []).forEach(function (c) { c.id = fromB64(c.id); });
  }
  function post(url, body, type) {
    return fetch(url, {method: "POST", credentials: "same-origin", headers: {"Content-Type": type}, body: body}).then(function (res) {
      return res.json().then(function (j) {
        if (!res.ok) {
          throw new Error((j.error && j.error.message) || res.statusText);
        }
        return j;
      });
    });
  }
  function say(msg) {
    var st = document.getElementById("passkey-status");
    if (st) {
      st.textContent = msg;
    }
  }

  var add = document.getElementById("passkey-add");
  if (add) {
    add.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var name = add.elements.passkey_name.value;
      say("");
      post("/account/passkeys/options", new URLSearchParams({name: name}).toString(), "application/x-www-form-urlencoded").then(function (j) {
        var o = j.options.publicKey;
        o.challenge = fromB64(o.challenge);
        o.user.id = fromB64(o.user.id);
        ids(o.excludeCredentials);
        return navigator.credentials.create({publicKey: o}).then(function (cred) {
          var r = cred.response;
          var body = {id: cred.id, rawId: toB64(cred.rawId), type: cred.type,
            response: {clientDataJSON: toB64(r.clientDataJSON), attestationObject: toB64(r.attestationObject),
              transports: r.getTransports ? r.getTransports() : []}};
          return post("/account/passkeys?token=" + encodeURIComponent(j.token), JSON.stringify(body), "application/json");
        });
      }).then(function () {
        // The account page again, with the new key in its list (a
        // change of the fragment alone would not load it).
        window.location.hash = "h-mfa";
        window.location.reload();
      }).catch(function (e) {
        say(e.message || add.dataset.error);
      });
    });
  }

  var login = document.getElementById("passkey-login");
  if (login) {
    login.addEventListener("click", function () {
      say("");
      post("/login/second-factor/passkey/options", "", "application/json").then(function (j) {
        var o = j.options.publicKey;
        o.challenge = fromB64(o.challenge);
        ids(o.allowCredentials);
        return navigator.credentials.get({publicKey: o});
      }).then(function (cred) {
        var r = cred.response;
        var body = {id: cred.id, rawId: toB64(cred.rawId), type: cred.type,
          response: {clientDataJSON: toB64(r.clientDataJSON), authenticatorData: toB64(r.authenticatorData),
            signature: toB64(r.signature), userHandle: r.userHandle ? toB64(r.userHandle) : ""}};
        return post("/login/second-factor/passkey", JSON.stringify(body), "application/json");
      }).then(function (j) {
        window.location.assign(j.next || "/");
      }).catch(function (e) {
        say(e.message || login.dataset.error);
      });
    });
  }
})();
