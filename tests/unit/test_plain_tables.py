"""Words in tables and about people: a missing value in a table is drawn on the grid's canvas (Streamlit writes
'None' there unless told otherwise), where the browser's plain-words walks cannot read it, so every table of the
dashboard names what it shows instead; roles are said in words wherever they are shown."""

from __future__ import annotations

import ast

from ctatracker.config import PROJECT_ROOT
from ctatracker.model.enums import Role
from ctatracker.text.naming import role_words


def _tables_without_placeholder() -> list[str]:
    missing = []
    for path in sorted((PROJECT_ROOT / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "dataframe"
                    and not any(k.arg == "placeholder" for k in node.keywords)):
                missing.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    return missing


def test_every_table_shows_a_missing_value_in_words_not_as_none() -> None:
    assert not _tables_without_placeholder(), "st.dataframe without placeholder= (shows 'None')"


def test_every_role_in_words() -> None:
    assert role_words("focal_point") == "national focal point" and role_words(Role.SECRETARIAT) == "secretariat"
    assert all("_" not in role_words(role) for role in Role)
