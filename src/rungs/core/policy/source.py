"""YAML read into plain containers that remember where each key and item stood in the file.

PyYAML's composer gives positions; we keep them beside the values so that every validation error can
name the line and column. Scalars are built by PyYAML's safe constructor (so dates, ints, booleans
behave as YAML says); nothing is ever executed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from rungs.core.policy.errors import PolicyError


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


class YMap(dict[str, Any]):
    """A mapping with the position of itself, of each key and of each value."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.mark = Mark(0, 0)
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}


class YList(list[Any]):
    """A sequence with the position of itself and of each item."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.mark = Mark(0, 0)
        self.item_marks: list[Mark] = [self.mark] * len(self)


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, loader: yaml.SafeLoader, file: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = YMap()
        out.mark = _mark(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int):
                raise PolicyError(
                    "键应为一个名称", "a key must be a name", file=file, **_mark(key_node).__dict__
                )
            key = str(key)
            if key in out:
                raise PolicyError(
                    f'键 "{key}" 出现两次',
                    f'key "{key}" appears twice',
                    file=file,
                    **_mark(key_node).__dict__,
                )
            out[key] = _build(value_node, loader, file)
            out.key_marks[key] = _mark(key_node)
            out.value_marks[key] = _mark(value_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = YList(_build(item, loader, file) for item in node.value)
        seq.mark, seq.item_marks = _mark(node), [_mark(item) for item in node.value]
        return seq
    return loader.construct_object(node, deep=True)


def load_yaml(text: str, file: str = "<policy>") -> Any:
    """Parse YAML text into YMap/YList/scalars; a syntax error becomes a PolicyError with its position."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise PolicyError("政策文件为空", "the policy file is empty", file=file)
        return _build(node, loader, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise PolicyError(
            f"不是有效的 YAML：{exc.problem or exc.context}",
            f"not valid YAML: {exc.problem or exc.context}",
            file=file,
            line=line,
            column=col,
        ) from None
    finally:
        loader.dispose()
