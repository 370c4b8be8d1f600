"""A policy is refused quickly, with where and why, when it is too large, too deep or expands too far
through aliases (issue 9: ~330 bytes of aliases grew the server to 23.5 GB)."""

import time

import pytest

from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import load_policy, parse_policy
from rungs.core.policy.source import load_yaml


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """Nine levels of nine aliases: 9**9 ≈ 387 million strings once expanded, from a few hundred bytes."""
    lines = ["a0: &a0 [" + ",".join(['"x"'] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def refused(text: str) -> PolicyError:
    start = time.perf_counter()
    with pytest.raises(PolicyError) as exc:
        parse_policy(text, "p.yaml")
    assert time.perf_counter() - start < 2  # refused before anything large is built
    return exc.value


def test_an_alias_bomb_is_refused_at_once_with_a_chinese_first_message():
    text = alias_bomb()
    assert len(text) < 500
    err = refused(text)
    assert err.message.startswith("别名展开后过大") and "100,000" in err.message
    assert str(err).startswith("p.yaml:1:1: ")


def test_a_few_aliases_of_a_small_part_are_still_fine():
    # 3 levels of 3 expand to a few dozen values, far under the bound: YAML like any other.
    data = load_yaml(alias_bomb(levels=3, width=3))
    assert data["a2"] == [[["x"] * 3] * 3] * 3


def test_nesting_deeper_than_fifty_levels_is_refused_with_its_line():
    text = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 60))
    err = refused(text)
    assert err.message.startswith("嵌套过深")
    # the 51st collection opens on line 51: line 1 is the mapping, line k+1 the k-th nested sequence
    assert err.line == 51


def test_flow_nesting_that_would_overflow_the_composer_is_refused():
    err = refused("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert err.message.startswith("嵌套过深")


def test_a_self_referencing_alias_is_refused():
    assert refused("a: &a [*a]\n").message.startswith("别名展开后过大")  # it never ends once expanded


def test_a_number_too_long_and_a_nul_byte_are_refused_with_their_place():
    err = refused("scheme: x\nversion: 1\nn: " + "9" * 5000 + "\n")
    assert err.message.startswith("数值过长") and (err.line, err.column) == (3, 4)
    err = refused("scheme: x\nver\x00sion: 1\n")
    assert err.message.startswith("政策文件含 NUL 字符") and (err.line, err.column) == (2, 4)


def test_a_huge_value_and_a_huge_file_are_refused():
    assert refused("label: " + "长" * 10_001 + "\n").message.startswith("值过长")
    assert refused("# " + "x" * 1_000_001 + "\n").message.startswith("政策文件过大")


def test_control_characters_are_a_policy_error_not_a_traceback():
    assert "not valid YAML" in refused("scheme: x\x07\n").message


def test_every_example_policy_is_within_the_bounds():
    from pathlib import Path

    examples = sorted((Path(__file__).parents[3] / "examples" / "policies").glob("*.yaml"))
    assert len(examples) >= 10
    for path in examples:
        load_policy(path)  # raises on any bound


def test_rungs_evaluate_refuses_the_alias_bomb_with_exit_2(tmp_path, capsys):
    from rungs.core.evaluate_cli import main

    policy = tmp_path / "bomb.yaml"
    policy.write_text(alias_bomb(), encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "employees.csv").write_text("employee_id,name,hire_date\nE1,张三,2024-03-01\n")
    start = time.perf_counter()
    code = main(["--policy", str(policy), "--data", str(tmp_path / "data"), "--as-of", "2026-12-01"])
    assert (code, time.perf_counter() - start < 5) == (2, True)
    err = capsys.readouterr().err
    assert "bomb.yaml:1:1: " in err and "别名展开后过大" in err and "Traceback" not in err
