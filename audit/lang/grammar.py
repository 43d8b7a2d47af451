"""The rule-language grammar (pyparsing). Parse actions only build positioned AST nodes.

    table bs = "Balance Sheets"
    let ads_ratio = 2
    rule BS-001 "Balance sheet balances" severity error:
        bs["TOTAL ASSETS"] = bs["TOTAL LIABILITIES AND EQUITY"]
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from bisect import bisect_left
from decimal import Decimal

import pyparsing as pp
from pyparsing import Keyword, Literal, OpAssoc, Optional, Regex, Suppress, ZeroOrMore

from ..base.errors import RuleError
from ..read.filing import Span
from . import nodes as n

# No packrat: pyparsing's infix_notation is iterative since 3.3.3 (a shunting-yard over an operator
# stack, linear in nesting and length), and nothing else here backtracks far; packrat's memo cost four
# fifths of a parse (the bundled packs: 2.0 s -> 0.44 s without it, the same nodes and errors).

KEYWORDS = ("table", "let", "rule", "unchecked", "severity", "columns", "tolerance", "for", "each",
            "row", "in", "where", "message", "or", "restates", "prose", "pack", "and", "not", "optional", "between", "unit")
SEVERITIES = ("error", "warning", "info")
ROW_KINDS = ("amount", "per_share", "shares", "percent")
UNITS = {"units": 0, "thousands": 3, "millions": 6, "billions": 9}  # `table t = "..." unit millions`


def _skip_blank(s: str, loc: int) -> int:
    """Move past white space and comments, so spans point at the node's first character."""
    while loc < len(s):
        if s[loc] in " \t\r\n":
            loc += 1
        elif s[loc] == "#":
            end = s.find("\n", loc)
            loc = len(s) if end < 0 else end + 1
        else:
            break
    return loc


_NEWLINES: list = [None, []]  # the text last parsed and where its newlines stand


def _lineno(loc: int, s: str) -> int:
    """pp.lineno(loc, s) by bisection: pp.lineno counts the newlines before loc, which made a
    file of n rules cost n^2 (issue 20)."""
    if _NEWLINES[0] is not s:
        _NEWLINES[:] = [s, [m.start() for m in re.finditer("\n", s)]]
    return bisect_left(_NEWLINES[1], loc) + 1


def _span(s: str, loc: int, length: int = 1) -> Span:
    loc = _skip_blank(s, loc)
    line = _lineno(loc, s)
    col = pp.col(loc, s)
    line_end = s.find("\n", loc)
    end = loc + length if line_end < 0 else min(loc + length, line_end)
    return Span(line, col, col + max(end - loc, 1))


def _kw(word: str):
    return Keyword(word).set_name(f"'{word}'")


def _fold_binary(s, loc, toks):
    items = list(toks[0])
    node = items[0]
    for i in range(1, len(items), 2):
        node = n.Binary(items[i], node, items[i + 1], _span(s, loc))
    return node


def _unary(s, loc, toks):
    op, operand = toks[0][0], toks[0][1]
    if op == "+":
        return operand
    if isinstance(operand, n.Number):
        return n.Number(-operand.value, "-" + operand.text, _span(s, loc))
    return n.Unary(op, operand, _span(s, loc))


def _number(s, loc, toks):
    text = toks[0]
    value = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    return n.Number(value, text, _span(s, loc, len(text)))


def _text(s, loc, toks):
    return n.Text(toks[0], _span(s, loc, len(toks[0]) + 2))


def _build_rule(s, loc, toks):
    attrs = {"severity": toks.get("severity", "error"),
             "optional": "optional" in toks,
             "columns": tuple(toks["columns"]) if "columns" in toks else (),
             "tolerance": toks.get("tolerance")}
    foreach = toks["foreach"][0] if "foreach" in toks else None
    message = toks["message"][0] if "message" in toks else None
    return n.Rule(id=toks["id"], title=toks["title"], check=toks["check"][0], span=_span(s, loc, 4),
                  severity=attrs["severity"], columns=attrs["columns"], tolerance=attrs["tolerance"],
                  foreach=foreach, message=message, optional=attrs["optional"])


def _cell_ref(s, loc, t):
    """ident [path (.. path | between path and path) (where kinds)] ? @mods"""
    until = tuple(t[2][0]) if t[3] == "through" and len(t[2]) else tuple(t[2]) if t[3] == "between" else ()
    return n.CellRef(t[0], tuple(t[1]), tuple(t[6]), _span(s, loc, len(t[0])), until,
                     optional=bool(len(t[5])), between=t[3] == "between", kinds=tuple(t[4]))


def _released(s, loc, t):
    """`prior_year.ops["Revenue"]`, `prior_year.net_loss`: a table or definition as an earlier release prints it.
    The qualifier is checked by the compiler (graph.RELEASES); prose, `row` and functions read this release."""
    qualifier, node = t[0][:-1], t[1]
    if isinstance(node, n.CellRef):
        return dataclasses.replace(node, table=f"{qualifier}.{node.table}", mods=node.mods + (f"release:{qualifier}",),
                                   release=qualifier, span=_span(s, loc, len(t[0]) + len(node.table)))
    if isinstance(node, n.Name):
        return dataclasses.replace(node, name=f"{qualifier}.{node.name}", release=qualifier,
                                   span=_span(s, loc, len(t[0]) + len(node.name)))
    if isinstance(node, n.ProseRef):
        why = f"an earlier release's prose is not read; tie its tables: {t[0]}ops[\"Revenue\"]"
    elif isinstance(node, n.RowRef):
        why = f"'row' is this release's row; name the earlier release's: {t[0]}bs[\"Cash\"]"
    else:
        why = f"a function reads this release; qualify the references inside it: sum({t[0]}ops[\"Revenue\"], ...)"
    raise pp.ParseFatalException(s, _skip_blank(s, loc) + len(t[0]),
                                 f"a table reference or a definition after '{t[0]}' ({why})")


def _fold_bool(s, loc, toks):
    items = list(toks[0])
    return n.BoolOp(items[1], tuple(items[0::2]), _span(s, loc))


def _either(s, loc, toks):
    options = tuple(toks)
    return options[0] if len(options) == 1 else n.Either(options, _span(s, loc))


def build_grammar(comments: bool = True) -> pp.ParserElement:
    """The whole grammar: a rule file is a sequence of statements; `comments`: skip a comment
    wherever white space may be (else the text comes with its comments blanked, see parse)."""
    # a name that is no keyword: one regex finds any keyword as Keyword(k) does (not inside a longer word)
    keyword = Regex(rf"(?<![A-Za-z0-9_$])(?:{'|'.join(KEYWORDS)})(?![A-Za-z0-9_$])")
    ident = (~keyword + Regex(r"[A-Za-z_][A-Za-z0-9_]*").set_name("name")).set_name("name")
    rule_id = Regex(r"[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*").set_name("rule id (such as BS-001)")
    string = pp.QuotedString('"', esc_char="\\", multiline=False).set_name("quoted string")
    regex = Regex(r"/((?:\\.|[^/\\\n])+)/([imsx]*)").set_name("/regular expression/")
    regex.set_parse_action(lambda s, loc, t: n.Pattern(t[0][1:t[0].rindex("/")], t[0][t[0].rindex("/") + 1:],
                                                       _span(s, loc, len(t[0]))))
    text = string.copy().set_parse_action(_text)
    quoted = (text | regex).set_name("quoted label or /pattern/")
    number = Regex(r"\d+(?:\.\d+)?%?").set_name("number").set_parse_action(_number)

    star = Literal("*").set_parse_action(lambda s, loc, t: n.Star(_span(s, loc)))
    label = (quoted + ZeroOrMore(Suppress("|") + quoted)).set_parse_action(
        lambda s, loc, t: n.Label(tuple(t), _span(s, loc))).set_name("row label")
    step = star | label
    path = pp.Group(step + ZeroOrMore(Suppress("/") + step))
    modifier = (Regex(r"\d{1,2}M\b|[A-Za-z]+|\d{4}") | pp.QuotedString('"', esc_char="\\").set_parse_action(
        lambda t: "role:" + t[0])).set_name(
        'column modifier (start, end, prior, previous, ytd, 3M, RMB, "Non-GAAP")')
    mods = pp.Group(ZeroOrMore(Suppress("@") + modifier))
    kind = pp.one_of(ROW_KINDS, as_keyword=True).set_name("row kind (amount, per_share, shares, percent)")
    kinds = pp.Group(Optional(Suppress(_kw("where")) - pp.DelimitedList(kind)))
    between = (Suppress(_kw("between")) - path - Suppress(_kw("and")) - path).set_parse_action(
        lambda t: pp.ParseResults([t[0], t[1], "between"]))
    span_rows = between | (path + pp.Group(Optional(Suppress("..") - path)) + pp.Empty().set_parse_action(
        lambda: "through"))
    index = (Suppress("[") - span_rows - kinds - Suppress("]")).set_name("[row label]")

    expr = pp.Forward().set_name("expression")
    maybe = pp.Group(Optional(Literal("?").set_name("'?' (optional)")))
    cell_ref = (ident + index + maybe + mods).set_parse_action(_cell_ref)
    anchors = pp.Group(label + ZeroOrMore(Suppress("/") + label))
    prose_ref = (Suppress(_kw("prose")) - Suppress("[") - anchors - Suppress("]") + maybe).set_parse_action(
        lambda s, loc, t: n.ProseRef(tuple(t[0]), _span(s, loc, 5), optional=bool(len(t[1])))).set_name(
        "prose[...]")
    row_ref = (Suppress(_kw("row")) + mods).set_parse_action(
        lambda s, loc, t: n.RowRef(tuple(t[0]), _span(s, loc, 3)))
    str_arg = string.copy().set_parse_action(lambda s, loc, t: n.Str(t[0], _span(s, loc, len(t[0]) + 2)))
    call = (ident + Suppress("(") + pp.Group(Optional(pp.DelimitedList(str_arg | expr))) + Suppress(")"))
    call.set_parse_action(lambda s, loc, t: n.Call(t[0], tuple(t[1]), _span(s, loc, len(t[0]))))
    name = (ident + ~pp.FollowedBy(pp.one_of("[ (")) + mods).set_parse_action(
        lambda s, loc, t: n.Name(t[0], _span(s, loc, len(t[0])), tuple(t[1])))
    qualifier = Regex(r"[A-Za-z_][A-Za-z0-9_]*\.(?=[A-Za-z_])").set_name(
        "release qualifier (prior_quarter., prior_half., prior_year.)")
    released = (qualifier + (cell_ref | call | name | prose_ref | row_ref)).set_parse_action(_released)
    atom = (number | released | prose_ref | row_ref | call | cell_ref | name).set_name("value")

    expr <<= pp.infix_notation(atom, [
        (pp.one_of("+ -"), 1, OpAssoc.RIGHT, _unary),
        (pp.one_of("* /"), 2, OpAssoc.LEFT, _fold_binary),
        (pp.one_of("+ -"), 2, OpAssoc.LEFT, _fold_binary),
    ]).set_name("expression")

    cmp_op = Regex(r"==|<=|>=|=|<|>").set_name("comparison (=, <, <=, >, >=)")
    comparison = (expr + cmp_op - expr).set_parse_action(
        lambda s, loc, t: n.Compare("=" if t[1] == "==" else t[1], t[0], t[2], _span(s, loc)))
    restates = (prose_ref + Suppress(_kw("restates")) - expr).set_parse_action(
        lambda s, loc, t: n.Restates(t[0], t[1], _span(s, loc)))
    single = (restates | comparison).set_name("check (a comparison or 'prose[...] restates ...')")
    check = (single + ZeroOrMore(Suppress(_kw("or")) - single)).set_parse_action(_either)

    severity = Suppress(_kw("severity")) - pp.one_of(SEVERITIES, as_keyword=True).set_name(
        "severity (error, warning or info)")("severity")
    col_token = (Regex(r"\d{1,2}M\b|[A-Z]{3}|\d{4}|all") | pp.QuotedString('"', esc_char="\\").set_parse_action(
        lambda t: "role:" + t[0])).set_name(
        'column (a currency such as RMB, a year, a length such as 3M, a role such as "Non-GAAP", or all)')
    columns = Suppress(_kw("columns")) - pp.Group(pp.OneOrMore(col_token))("columns")
    tolerance = Suppress(_kw("tolerance")) - number("tolerance")
    optional = _kw("optional")("optional")
    attrs = ZeroOrMore(severity | columns | tolerance | optional)

    foreach = (Suppress(_kw("for")) - Suppress(_kw("each")) - Suppress(_kw("row")) - Suppress(_kw("in"))
               - pp.Group(pp.DelimitedList(ident)) - pp.Group(Optional(Suppress(_kw("where"))
                                                                       - pp.DelimitedList(kind)))
               - Suppress(":")).set_parse_action(
        lambda s, loc, t: n.ForEach(tuple(t[0]), tuple(t[1]), _span(s, loc, 3)))
    message = Suppress(_kw("message")) - string

    rule = (Suppress(_kw("rule")) - rule_id("id") - string("title") - attrs - Suppress(":")
            - Optional(foreach)("foreach") - pp.Group(check)("check")
            - Optional(message)("message")).set_parse_action(_build_rule)
    table = (Suppress(_kw("table")) - ident - Suppress("=") - pp.Group(quoted + ZeroOrMore(Suppress("|") + quoted))
             + pp.Group(Optional(Suppress(_kw("unit")) - pp.one_of(tuple(UNITS), as_keyword=True).set_name(
                 "unit (units, thousands, millions or billions)")))
             + pp.Group(Optional(_kw("optional")))).set_parse_action(
        lambda s, loc, t: n.TableDecl(t[0], tuple(t[1]), _span(s, loc, 5), optional=bool(len(t[3])),
                                      scale=UNITS[t[2][0]] if len(t[2]) else None))
    let = (Suppress(_kw("let")) - ident - Suppress("=") - expr).set_parse_action(
        lambda s, loc, t: n.Let(t[0], t[1], _span(s, loc, 3)))
    unchecked = (Suppress(_kw("unchecked")) - string - Suppress(":")
                 - pp.Group(pp.DelimitedList(prose_ref | cell_ref))).set_parse_action(
        lambda s, loc, t: n.Unchecked(t[0], tuple(t[1]), _span(s, loc, 9)))

    applies = (ident + Suppress("=") - pp.Group(quoted + ZeroOrMore(Suppress("|") - quoted))).set_parse_action(
        lambda s, loc, t: n.Applies(t[0], tuple(t[1]), _span(s, loc, len(t[0])))).set_name(
        "filing field test (issuer = \"...\" | /.../)")
    condition = pp.infix_notation(applies, [
        (_kw("not"), 1, OpAssoc.RIGHT, lambda s, loc, t: n.Not(t[0][1], _span(s, loc, 3))),
        (_kw("and"), 2, OpAssoc.LEFT, _fold_bool),
        (_kw("or"), 2, OpAssoc.LEFT, _fold_bool),
    ]).set_name("condition (issuer, ticker, form, document, filename or text = ...)")
    pack = (Suppress(_kw("pack")) - ident - string - Optional(Suppress(":") - condition)).set_parse_action(
        lambda s, loc, t: n.PackDecl(t[0], t[1], t[2] if len(t) > 2 else None, _span(s, loc, 4)))

    statement = (pack | table | let | rule | unchecked).set_name("statement (pack, table, let, rule or unchecked)")
    grammar = ZeroOrMore(statement) + pp.StringEnd().set_name("a statement (pack, table, let, rule or unchecked)")
    if comments:
        grammar.ignore(pp.python_style_comment)
    grammar.parse_with_tabs()
    return grammar


_GRAMMARS: dict[bool, pp.ParserElement] = {}
#: A line's code (strings, and any character but '#', '"' and '/') and the comment after it. A '#' after a
#: '/' may be inside a /pattern/: it is left to the grammar that skips comments.
_COMMENT = re.compile(r'^((?:[^"#/\n]|"(?:\\.|[^"\\\n])*")*)(#[^\n]*)', re.M)
_IN_STRINGS = re.compile(r'(?:[^"#\n]|"(?:\\.|[^"\\\n])*")*')  # a line whose every '#' is inside a string


def _blanked(text: str):
    """The text with its comments turned to spaces (every position kept), or None when a '#' that
    may start one is left (after a '/', or in a line whose strings do not close). A grammar that skips
    comments tries one before every token, which doubles the time to parse; comments on lines of their
    own or after code (as drafted packs write them: `table t = "..."   # line 9: ...`) are the common
    case, so only texts with other '#'s pay for it."""
    if "#" not in text:
        return text
    blanked = _COMMENT.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)
    if "#" in blanked and not all(_IN_STRINGS.fullmatch(line) for line in blanked.split("\n") if "#" in line):
        return None
    return blanked


def parse(text: str, path: str = "<rules>") -> n.RuleFile:
    """Parse one rule file's text, or raise RuleError at file:line:col with a caret."""
    blanked = _blanked(text)
    comments = blanked is None
    if comments not in _GRAMMARS:
        _GRAMMARS[comments] = build_grammar(comments)
    try:
        statements = _GRAMMARS[comments].parse_string(text if comments else blanked, parse_all=True)
    except pp.ParseBaseException as exc:
        raise _rule_error(exc, text, path) from None
    return n.RuleFile(path, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), tuple(statements))


def _rule_error(exc: pp.ParseBaseException, text: str, path: str) -> RuleError:
    lines = text.splitlines()
    line = exc.lineno
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    found = exc.found if hasattr(exc, "found") else None
    expected = str(exc.msg)
    if expected.startswith("Expected "):
        expected = expected[len("Expected "):]
    expected = expected.replace("end of text", "a statement (pack, table, let, rule or unchecked)")
    expected = expected.replace("Unbalanced parentheses or expression syntax error",
                                "an expression with balanced parentheses")
    col = exc.col
    quote = _unterminated_quote(source)
    if quote is not None:
        return RuleError("unterminated string", path, line, quote + 1, source, expected='a closing "')
    where = f", found {found}" if found else ", found end of file"
    return RuleError(f"syntax error{where}", path, line, col, source, expected=expected)


def _unterminated_quote(line: str):
    """The 0-based column of an opening quote with no closing quote on its line, if any."""
    start, i = None, 0
    while i < len(line):
        ch = line[i]
        if ch == "#" and start is None:
            break
        if ch == "\\" and start is not None:
            i += 2
            continue
        if ch == '"':
            start = i if start is None else None
        i += 1
    return start
