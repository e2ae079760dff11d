"""How a country asks for an offer of the technical-assistance catalogue: a focal point's request form under each
offer (it becomes a proposed change to the country's needs, reviewed by the secretariat), and for everyone else
how to ask."""

from __future__ import annotations

import streamlit as st

from ctatracker.model.accounts import MAX_REQUEST
from ctatracker.model.enums import Role
from ctatracker.store.cooperation import request_support
from ctatracker.store.database import WriteConflict, WriteRejected
from ctatracker.store.permissions import Actor
from dashboard import auth_ui, data, forms
from dashboard.safe_text import md

HOW_TO_ASK = ("**How a country asks for this support:** its national focal point signs in and chooses *Request "
              "this support* under the offer; the request goes to the ALP secretariat, who reviews it as the "
              "country's need in that action area. Not a focal point? Contact the ALP secretariat (Asia LEDS "
              "Partnership, ICLEI South Asia) through [the LG-CTA page](https://asialedspartnership.org/lg-cta), "
              "or ask your country's focal point.")


def how_to_ask(actor: Actor | None, country_name: str) -> None:
    """Say who may request support and how; a focal point is told their requests are for their own country."""
    if actor is not None and actor.role is Role.FOCAL_POINT and data.editable():
        st.info(f"As the focal point of {md(country_name)}, you can ask for any offer below for your country: "
                "choose **Request this support** under it. The ALP secretariat reviews your request; once approved "
                "it is listed as your country's need in that action area.", icon=":material/support_agent:")
    elif actor is not None and actor.role in (Role.SECRETARIAT, Role.ADMIN):
        st.caption("Focal points request offers here for their own country; each request reaches you in the review "
                   "queue as a change to the country's needs.")
    else:
        st.info(HOW_TO_ASK, icon=":material/support_agent:")
        if data.editable():
            st.page_link(auth_ui.SIGN_IN_PAGE, label="Sign in as a focal point", icon=":material/login:")


def request_form(actor: Actor | None, offer: dict, country_name: str) -> None:
    """The 'Request this support' action under one offer, for a signed-in focal point (nothing for others)."""
    if actor is None or actor.role is not Role.FOCAL_POINT or not data.editable():
        return
    with st.expander("Request this support", icon=":material/front_hand:"), \
            st.form(f"request_{offer['id']}", clear_on_submit=True):
        why = st.text_area(f"What {country_name} needs from this support", key=f"request_why_{offer['id']}",
                           max_chars=MAX_REQUEST, placeholder="e.g. which agency asks, for which cities or plans, "
                           "and by when")
        sent = st.form_submit_button("Send the request for review", type="primary", icon=":material/send:")
    if not sent:
        return
    try:
        data.write(request_support, actor, offer_id=offer["id"], country=actor.country_iso3, why=why)
    except WriteRejected as exc:
        st.error(md(" ".join(p.message[:1].upper() + p.message[1:] + "." for p in exc.problems)),
                 icon=":material/error:")
    except WriteConflict as exc:
        st.warning(md(exc), icon=":material/sync_problem:")
    else:
        forms.flash("success", f"Requested: {md(offer['title'])}. The ALP secretariat reviews it; the outcome "
                    "appears under **My submissions** on My country's data.")
        st.rerun()
