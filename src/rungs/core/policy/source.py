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


# What a policy may be and expand to. The largest example is 11 KB, 9 levels deep, ~1,000 nodes and 13
# aliases; a few hundred bytes of aliases nested nine deep (a "billion laughs") would otherwise expand to
# hundreds of millions of nodes and take the server down. Every bound is checked before anything is built.
MAX_CHARS = 1_000_000
MAX_DEPTH = 50
MAX_ALIASES = 1_000
MAX_NODES = 100_000  # after expanding every alias
MAX_SCALAR = 10_000  # characters in one value
MAX_NUMBER = 30  # characters in one number (Python refuses ints of over 4,300 digits with a traceback)
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_TOO_DEEP = (f"嵌套过深（超过 {MAX_DEPTH} 层）", f"nested more than {MAX_DEPTH} levels deep")


def load_yaml(text: str, file: str = "<policy>") -> Any:
    """Parse YAML text into YMap/YList/scalars; a syntax error or a policy too large, too deep or expanding
    too far becomes a PolicyError with its position."""
    if len(text) > MAX_CHARS:
        raise PolicyError(
            f"政策文件过大（超过 {MAX_CHARS:,} 个字符）",
            f"the policy is longer than {MAX_CHARS:,} characters",
            file=file,
        )
    if "\x00" in text:
        at = text.index("\x00")
        raise PolicyError(
            "政策文件含 NUL 字符（\\x00）",
            "the policy holds a NUL character (\\x00)",
            file=file,
            line=text.count("\n", 0, at) + 1,
            column=at - text.rfind("\n", 0, at),
        )
    try:
        _check_events(text, file)
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise PolicyError("政策文件为空", "the policy file is empty", file=file)
            _check_expansion(node, file)
            return _build(node, loader, file)
        finally:
            loader.dispose()
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
    except yaml.YAMLError as exc:  # e.g. a control character the reader does not accept
        raise PolicyError(f"不是有效的 YAML：{exc}", f"not valid YAML: {exc}", file=file) from None
    except RecursionError:  # aliases of deep parts inside deep parts: deeper than each part alone
        raise PolicyError(*_TOO_DEEP, file=file) from None
    except ValueError as exc:  # a number YAML accepts and Python cannot build
        raise PolicyError(
            f"无法读取的数值：{exc}", f"a number that cannot be read: {exc}", file=file
        ) from None


def _check_events(text: str, file: str) -> None:
    """Depth, aliases and value sizes, from PyYAML's event stream: its parser keeps a stack of its own,
    while composing nodes recurses and would fail on deep nesting before any check could run."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        mark = event.start_mark  # the parser marks every event; 0 is PolicyError's "no place"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise PolicyError(*_TOO_DEEP, file=file, line=line, column=column)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise PolicyError(
                    f"别名（*名称）超过 {MAX_ALIASES} 个",
                    f"more than {MAX_ALIASES} aliases (*name)",
                    file=file,
                    line=line,
                    column=column,
                )
        elif isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR:
            raise PolicyError(
                f"值过长（超过 {MAX_SCALAR:,} 个字符）",
                f"a value longer than {MAX_SCALAR:,} characters",
                file=file,
                line=line,
                column=column,
            )


def _check_expansion(root: yaml.Node, file: str) -> None:
    """The number of nodes the policy has once every alias is expanded (an alias is the node it names, so
    a node reached twice counts twice), worked out once per distinct node; and no number too long."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _NUMBERS and len(node.value) > MAX_NUMBER:
                raise PolicyError(
                    f"数值过长（超过 {MAX_NUMBER} 个字符）",
                    f"a number longer than {MAX_NUMBER} characters",
                    file=file,
                    **_mark(node).__dict__,
                )
            n = 1
        else:
            sizes[id(node)] = MAX_NODES + 1  # a node inside itself (&a [*a]) expands without end
            children = (
                node.value if isinstance(node, yaml.SequenceNode) else [x for kv in node.value for x in kv]
            )
            n = 1 + sum(size(child) for child in children)
        sizes[id(node)] = n = min(n, MAX_NODES + 1)
        return n

    if size(root) > MAX_NODES:
        raise PolicyError(
            f"别名展开后过大：超过 {MAX_NODES:,} 个值",
            f"the policy expands to more than {MAX_NODES:,} values through its aliases (*name)",
            file=file,
            **_mark(root).__dict__,
        )
