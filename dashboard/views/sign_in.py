"""Sign in (email and password, or single sign-on when configured) and sign out."""

import streamlit as st

from ctatracker.model.enums import Role
from ctatracker.store.permissions import Actor
from dashboard import auth_ui, data
from dashboard.safe_text import md


def account(actor: Actor) -> None:
    """What a signed-in person sees: who they are, where to go, and the sign-out button."""
    st.title("Your account")
    st.success(f"Signed in as **{md(actor.name)}**, {md(auth_ui.describe(actor))}.", icon=":material/verified_user:")
    links = {
        Role.FOCAL_POINT: [("views/my_country.py", "Propose changes to your country's data"),
                           ("views/bulk_upload.py", "Update many records at once from Excel")],
        Role.SECRETARIAT: [("views/review_queue.py", "Review submissions"),
                           ("views/my_country.py", "Edit any country's data")],
        Role.ADMIN: [("views/admin_users.py", "Manage accounts"), ("views/review_queue.py", "Review submissions")],
    }
    for path, label in links.get(actor.role, []):
        st.page_link(path, label=label, icon=":material/arrow_forward:")
    st.page_link("views/history.py", label="See what changed and when", icon=":material/arrow_forward:")
    if st.button("Sign out", key="sign_out", icon=":material/logout:"):
        auth_ui.sign_out()
        st.rerun()


def org_sign_in() -> None:
    """Sign in with an organisation account (one button per provider), or why the one used gives no rights."""
    org = auth_ui.org_sign_in()
    if org is not None and org.problem:
        st.warning(md(org.problem) + " " + auth_ui.ACCESS_HELP, icon=":material/no_accounts:")
        if st.button("Sign out of your organisation account", key="sso_out", icon=":material/logout:"):
            auth_ui.sign_out()
    elif not auth_ui.sso_installed():
        st.warning("Sign-in with an organisation account is set up, but the server lacks the software it needs "
                   "(streamlit[auth]); ask the administrator.")
    else:
        providers = auth_ui.org_providers()
        for provider in providers:
            label = "Sign in with your organisation account"
            if len(providers) > 1:
                label += f" ({provider.label})"
            if st.button(label, key=f"sso_{provider.name}", icon=":material/key:"):
                st.login(provider.name)


def sign_in_form() -> None:
    """Email and password (and single sign-on when it is configured)."""
    st.title("Sign in")
    st.write("Signing in is for national focal points, who propose updates to their country's data, and for the "
             "ALP secretariat, who reviews them. Everyone can read the tracker without an account.")
    if not data.editable():
        st.info("This copy of the tracker has no accounts yet, so it is read-only. An administrator creates the "
                "first account on the server with the tracker's users command (described in its README) and "
                "restarts the app.", icon=":material/info:")
        return

    if auth_ui.sso_configured():
        org_sign_in()
        st.caption("Or with the email and password the administrator gave you:")

    with st.form("sign_in_form"):
        email = st.text_input("Email", key="sign_in_email", autocomplete="username")
        password = st.text_input("Password", type="password", key="sign_in_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", key="sign_in_submit", type="primary", icon=":material/login:")
    if submitted:
        if not email.strip() or not password:
            st.error("Enter your email and your password.")
        else:
            problem = auth_ui.sign_in(email, password)
            if problem:
                st.error(problem, icon=":material/error:")
            else:
                st.rerun()
    st.caption(auth_ui.ACCESS_HELP + " Forgot your password? The administrator can set a new one.")


actor = auth_ui.current_actor()
if actor is not None:
    account(actor)
else:
    sign_in_form()
