// Mend: passkeys (WebAuthn). The pages work without this file: the password, two-step codes and
// recovery codes need no script; only a passkey itself needs navigator.credentials. Each control is
// an element with data-passkey ("sign-in", "second-factor", "add") or a removal form with
// data-passkey-remove, kept hidden until this file finds passkeys supported.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) { return; }

  function b64(buf) {
    var bytes = new Uint8Array(buf), s = "";
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function unb64(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var raw = atob(s), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out.buffer;
  }
  function ids(list) {
    return (list || []).map(function (c) {
      var d = { type: c.type, id: unb64(c.id) };
      if (c.transports) { d.transports = c.transports; }
      return d;
    });
  }
  function creationOptions(o) {
    var pk = Object.assign({}, o.publicKey);
    pk.challenge = unb64(pk.challenge);
    pk.user = Object.assign({}, pk.user, { id: unb64(pk.user.id) });
    pk.excludeCredentials = ids(pk.excludeCredentials);
    return { publicKey: pk };
  }
  function requestOptions(o) {
    var pk = Object.assign({}, o.publicKey);
    pk.challenge = unb64(pk.challenge);
    if (pk.allowCredentials) { pk.allowCredentials = ids(pk.allowCredentials); }
    return { publicKey: pk };
  }
  function credentialJSON(c) {
    var r = c.response, resp = { clientDataJSON: b64(r.clientDataJSON) };
    if (r.attestationObject) {
      resp.attestationObject = b64(r.attestationObject);
      if (r.getTransports) { resp.transports = r.getTransports(); }
    } else {
      resp.authenticatorData = b64(r.authenticatorData);
      resp.signature = b64(r.signature);
      if (r.userHandle) { resp.userHandle = b64(r.userHandle); }
    }
    return {
      id: c.id, rawId: b64(c.rawId), type: c.type, response: resp,
      authenticatorAttachment: c.authenticatorAttachment || undefined,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {}
    };
  }

  var meta = document.querySelector('meta[name="csrf-token"]');
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": meta ? meta.content : "" },
      body: JSON.stringify(body || {})
    }).then(function (resp) {
      return resp.text().then(function (text) {
        var data = null;
        try { data = JSON.parse(text); } catch (err) { data = null; }
        if (!resp.ok) {
          var e = new Error(data && data.error && data.error.message ? data.error.message : "");
          e.status = resp.status;
          throw e;
        }
        return data;
      });
    });
  }

  function say(box, err) {
    var p = box.querySelector("[data-passkey-error]");
    if (!p) { return; }
    var msg = err && err.message;
    if (err && err.name === "NotAllowedError") { msg = "The passkey step was cancelled or took too long. Try again when you are ready."; }
    if (err && err.name === "InvalidStateError") { msg = "This device's passkey is already added to your account."; }
    p.textContent = msg || "That passkey didn't work. Try again, or use your password.";
    p.hidden = false;
  }
  function busy(button, on) { if (button) { button.disabled = on; } }

  function signIn(box) {
    var button = box.querySelector("[data-passkey-start]");
    var challenge = box.getAttribute("data-challenge") || "";
    var next = box.getAttribute("data-next") || "";
    button.addEventListener("click", function () {
      busy(button, true);
      post("/login/passkey/begin", { challenge: challenge }).then(function (begun) {
        return navigator.credentials.get(requestOptions(begun.options)).then(function (cred) {
          return post("/login/passkey/finish", { ceremony: begun.ceremony, credential: credentialJSON(cred), challenge: challenge, next: next });
        });
      }).then(function (done) {
        window.location.assign(done.next || "/dashboard");
      }).catch(function (err) {
        busy(button, false);
        say(box, err);
      });
    });
  }

  function add(box) {
    var button = box.querySelector("[data-passkey-start]");
    var name = box.querySelector('input[name="name"]');
    button.addEventListener("click", function () {
      busy(button, true);
      post("/api/v1/me/passkeys/begin").then(function (begun) {
        return navigator.credentials.create(creationOptions(begun.options)).then(function (cred) {
          return post("/api/v1/me/passkeys/finish", { ceremony: begun.ceremony, credential: credentialJSON(cred), name: name ? name.value : "" });
        });
      }).then(function (done) {
        var codes = done.recovery_codes || [];
        if (!codes.length) { window.location.assign("/safety-check?done=passkey-added#passkeys"); return; }
        var shown = box.querySelector("[data-passkey-codes]"), list = shown.querySelector("ol");
        codes.forEach(function (code) {
          var li = document.createElement("li");
          li.textContent = code;
          list.appendChild(li);
        });
        var more = document.createElement("a");
        more.href = "/safety-check?done=passkey-added#passkeys";
        more.textContent = "I have kept them: continue";
        shown.appendChild(more);
        shown.hidden = false;
        button.hidden = true;
        shown.setAttribute("tabindex", "-1");
        shown.focus();
      }).catch(function (err) {
        busy(button, false);
        say(box, err);
      });
    });
  }

  function remove(form) {
    var button = form.querySelector("[data-passkey-confirm]");
    var id = form.getAttribute("data-passkey-remove");
    button.hidden = false;
    button.addEventListener("click", function () {
      busy(button, true);
      post("/api/v1/me/passkeys/" + encodeURIComponent(id) + "/confirm").then(function (begun) {
        return navigator.credentials.get(requestOptions(begun.options)).then(function (cred) {
          form.elements.ceremony.value = begun.ceremony;
          form.elements.credential.value = JSON.stringify(credentialJSON(cred));
          form.submit();
        });
      }).catch(function (err) {
        busy(button, false);
        say(form, err);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-passkey]"), function (box) {
    var kind = box.getAttribute("data-passkey");
    if (kind === "add") { add(box); } else { signIn(box); }
    box.hidden = false;
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-passkey-remove]"), remove);
})();
