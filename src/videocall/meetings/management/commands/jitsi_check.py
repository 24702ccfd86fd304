"""``videocall jitsi-check``: what the platform will send Jitsi, and what Jitsi must be set to accept it."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from videocall.meetings.jitsi.tokens import (
    JitsiConfig,
    JitsiConfigurationError,
    TokenUser,
    check_config,
    mint_token,
)

SAMPLE_ROOM = "vc-sample-room"


def _b64json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class Command(BaseCommand):
    help = "Print the Jitsi mode, a decoded sample token, the claims Jitsi checks and the server settings to match."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--room", default=SAMPLE_ROOM, help="room name for the sample token")
        parser.add_argument("--moderator", action="store_true", help="mint the sample as a moderator")

    def handle(self, *args: Any, **opts: Any) -> None:
        config = JitsiConfig.from_settings()
        out = self.stdout.write
        out(f"Mode:            {config.mode}")
        out(f"Domain:          {config.domain}")
        out(f"Script:          {config.script_url}")
        out(f"CSP origin:      {config.origin}  (script-src and frame-src of the meeting page)")
        out(
            f"Token lifetime:  {config.ttl_seconds} s (nbf is set 45 s in the past; Jitsi allows no clock skew)"
        )
        out(f"Sample roomName: {config.client_room(opts['room'])}")
        problems = check_config(config)
        for problem in problems:
            self.stderr.write(self.style.ERROR(f"PROBLEM: {problem}"))
        if config.mode == "open":
            out("")
            out("Open mode: no token is sent. Anyone who knows a room name can enter it on the Jitsi server;")
            out("room names are random, but use self-hosted or jaas mode for anything private.")
            self._webhooks(config)
            return
        if problems:
            raise CommandError("the Jitsi settings cannot mint a valid token (see PROBLEM lines)")
        user = TokenUser(
            id="0", name="Jitsi Check", email="check@example.invalid", moderator=opts["moderator"]
        )
        try:
            token = mint_token(room=opts["room"], user=user, config=config, now=time.time())
        except JitsiConfigurationError as exc:
            raise CommandError(str(exc)) from None
        assert token is not None
        header_b64, payload_b64, _sig = token.split(".")
        header, payload = _b64json(header_b64), _b64json(payload_b64)
        out("")
        out("Sample token header:")
        out(json.dumps(header, indent=2, sort_keys=True))
        out("Sample token claims:")
        out(json.dumps(payload, indent=2, sort_keys=True))
        out("")
        out("Claims the server checks:")
        if config.mode == "jaas":
            out(f'  alg RS256, typ "JWT", kid "{header.get("kid")}" (must be an API key of your JaaS app)')
            out('  aud "jitsi", iss "chat", sub = your AppID (the part of kid before "/")')
            out(f'  room "{payload["room"]}" (JaaS opens "{config.client_room(payload["room"])}")')
            out('  nbf / exp numbers; context.features present; context.user.moderator "true"/"false"')
            kid_app = str(header.get("kid", "")).split("/", 1)[0]
            if kid_app != payload.get("sub"):
                self.stderr.write(self.style.ERROR("PROBLEM: kid prefix differs from sub (AppID)"))
        else:
            out(f'  typ "JWT", alg {header["alg"]} (Prosody\'s configured algorithm)')
            out(f'  iss "{payload["iss"]}" must be in asap_accepted_issuers (default: app_id)')
            out(f'  aud "{payload["aud"]}" must be in asap_accepted_audiences (default "*" accepts any)')
            out(f'  sub "{payload["sub"]}" must be the XMPP domain ({config.domain}), the tenant, or "*"')
            out(f'  room "{payload["room"]}" lowercase, compared with the room the client joins')
            out("  nbf / exp numbers (no clock skew allowed: keep the servers on NTP)")
            out("")
            out("Prosody (/etc/prosody/conf.d/<domain>.cfg.lua) must match:")
            out(f'  VirtualHost "{config.domain}"')
            out('      authentication = "token"')
            out(f'      app_id = "{config.app_id}"')
            if config.algorithm == "HS256":
                out('      app_secret = "<the value of JITSI_APP_SECRET>"')
            else:
                digest = hashlib.sha256(config.kid.encode()).hexdigest()
                out('      asap_key_server = "https://<your key server>"')
                out(f"      -- it fetches <asap_key_server>/{digest}.pem (sha256 of kid {config.kid!r})")
            out(f'      asap_accepted_issuers = {{ "{config.app_id}" }}')
            out(f'      asap_accepted_audiences = {{ "{payload["aud"]}" }}')
            out("      allow_empty_token = false")
            out("")
            self.stderr.write(
                self.style.WARNING(
                    "WARNING: Jitsi ignores context.user.moderator/affiliation unless Prosody loads the "
                    "\"token_affiliation\" module (add it to the MUC component's modules_enabled) and jicofo's "
                    "auto-owner is off (jicofo.conference.enable-auto-owner = false). Without both, EVERY "
                    "token holder (guests included) becomes moderator."
                )
            )
        self._webhooks(config)

    def _webhooks(self, config: JitsiConfig) -> None:
        out = self.stdout.write
        site = settings.SITE_URL
        out("")
        out("Event feeds:")
        if config.mode == "jaas":
            state = "set" if settings.JITSI_WEBHOOK_SECRET else "NOT SET (webhooks will be refused)"
            out(
                f"  JaaS console webhook URL: {site}/api/v1/meetings/webhooks/jaas  (JITSI_WEBHOOK_SECRET {state})"
            )
        else:
            state = "set" if settings.JITSI_WEBHOOK_SECRET else "NOT SET (events will be refused)"
            out("  Prosody event_sync module (jitsi-contrib prosody-plugins, event_sync_component):")
            out(f'  Component "event_sync.{config.domain}" "event_sync_component"')
            out(f'      muc_component = "conference.{config.domain}"')
            out(f'      api_prefix = "{site}/api/v1/meetings/webhooks/jitsi"')
            out('      api_headers = { ["Authorization"] = "Bearer <JITSI_WEBHOOK_SECRET>" }')
            out(f"      (JITSI_WEBHOOK_SECRET {state})")
