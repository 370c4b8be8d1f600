"""Cells the database could not take or the pages could not show are refused at reading, with file, row,
column and what was expected (issue 9: "it must not go down", "what previews clean must commit")."""

import datetime as dt

import pytest

from rungs.core.interchange.errors import DataError
from rungs.core.interchange.reader import read_dataset

EMPLOYEES = "employee_id,name,hire_date\nE1,张三,2024-03-01\nE2,李四,2023-11-15\n"


def problems(folder, **files):
    folder.mkdir(exist_ok=True)
    for name, text in {"employees": EMPLOYEES, **files}.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_dataset(folder)
    return [(p.file.rsplit("/", 1)[-1], p.row, p.column, p.expected, p.got) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0000-01-01", "a date from 1900-01-01 to 2200-12-31"),
        ("2201-01-01", "a date from 1900-01-01 to 2200-12-31"),
        ("1899-12-31", "a date from 1900-01-01 to 2200-12-31"),
        ("-001-01-01", "a date YYYY-MM-DD"),
        ("+2024-01-01", "a date YYYY-MM-DD"),
        ("2024-01-01 garbage", "a date YYYY-MM-DD"),
    ],
)
def test_a_date_out_of_range_or_with_more_than_a_date_is_refused(tmp_path, written, expected):
    # Row 3: the header is row 1 and a good row comes first, so the good row is not reported.
    found = problems(tmp_path, events=f"employee_id,date,type\nE1,2024-05-06,leave\nE2,{written},leave\n")
    assert len(found) == 1
    file, row, column, exp, got = found[0]
    assert (file, row, column, got) == ("events.csv", 3, "date", written)
    assert expected in exp


def test_excel_datetimes_and_slashes_still_read_as_dates(tmp_path):
    (tmp_path / "employees.csv").write_text(
        "employee_id,name,hire_date,birth_date\nE1,张三,2024-03-01 00:00:00,1990/5/6\n", encoding="utf-8"
    )
    emp = read_dataset(tmp_path).employees
    assert emp.select("hire_date", "birth_date").rows() == [(dt.date(2024, 3, 1), dt.date(1990, 5, 6))]


@pytest.mark.parametrize("value", ["inf", "-inf", "NaN"])
def test_non_finite_scores_and_metrics_are_refused(tmp_path, value):
    found = problems(
        tmp_path,
        evaluations=f"employee_id,period,score\nE1,2026-01,90\nE1,2026-02,{value}\n",
        metrics=f"employee_id,period,metric,value\nE2,2026-01,csat,{value}\n",
    )
    where = {(f, r, c, g) for f, r, c, _, g in found}
    assert where == {("evaluations.csv", 3, "score", value), ("metrics.csv", 2, "value", value)}
    assert all("a finite number" in e for *_, e, _ in found)


def test_negative_leave_days_and_headcount_are_refused_but_other_negative_values_are_not(tmp_path):
    found = problems(
        tmp_path,
        # a negative value of another type (an amount, say) is not a count and is left alone
        events="employee_id,date,type,value\nE1,2026-01-05,leave,-3\nE1,2026-01-06,penalty,-50\n",
        positions="level,headcount\nL1,2\nL2,-1\n",
    )
    assert [(f, r, c, g) for f, r, c, _, g in found] == [
        ("events.csv", 2, "value", "-3.0"),
        ("positions.csv", 3, "headcount", "-1"),
    ]


def test_an_end_before_its_start_and_a_person_as_their_own_manager_are_refused(tmp_path):
    found = problems(
        tmp_path,
        employees="employee_id,name,hire_date,manager_id,regularized_on\n"
        "E1,张三,2024-03-01,E1,2024-01-01\nE2,李四,2023-11-15,E1,2024-02-15\n",
        assignments="employee_id,track,level,start_date,end_date\n"
        "E1,skill,L1,2024-05-01,2024-01-31\nE2,skill,L1,2024-05-01,2024-05-01\n",
    )
    assert {(f, r, c) for f, r, c, _, _ in found} == {
        ("employees.csv", 2, "manager_id"),  # E1 manages E1
        ("employees.csv", 2, "regularized_on"),  # made regular before being hired
        ("assignments.csv", 2, "end_date"),  # ends in January, starts in May; row 3 ends the day it starts
    }


@pytest.mark.parametrize("eid", ["Ｅ1", "E\u200b1", "E1\ufeff", "E\t1"])
def test_ids_with_invisible_or_full_width_characters_are_refused(tmp_path, eid):
    found = problems(tmp_path, employees=f"employee_id,name,hire_date\n{eid},张三,2024-03-01\n")
    assert [(r, c, g) for _, r, c, _, g in found] == [(2, "employee_id", eid)]
    assert "full-width" in found[0][3]


def test_text_longer_than_its_column_a_nul_and_a_huge_cell_are_refused(tmp_path):
    huge = "长" * 10_000_000
    found = problems(
        tmp_path,
        employees=f"employee_id,name,hire_date,team\nE1,{'名' * 101},2024-03-01,一组\n"
        f"E2,李\x00四,2023-11-15,{'组' * 100}\n",
        events=f"employee_id,date,type,note\nE1,2026-01-05,award,{huge}\n",
    )
    by_cell = {(f, r, c): (e, g) for f, r, c, e, g in found}
    assert set(by_cell) == {
        ("employees.csv", 2, "name"),
        ("employees.csv", 3, "name"),
        ("events.csv", 2, "note"),
    }
    assert "at most 100 characters" in by_cell["employees.csv", 2, "name"][0]  # Employee.name holds 100
    assert "NUL" in by_cell["employees.csv", 3, "name"][0]
    expected, got = by_cell["events.csv", 2, "note"]
    assert "at most 2000 characters" in expected
    assert len(got) < 100 and "10000000" in got  # not echoed back whole


@pytest.mark.parametrize(
    ("text", "row", "expected"),
    [
        (
            'employee_id,name,hire_date\nE1,张三,2024-03-01\nE2,"李四,2024-03-01\nE3,王五,2024-03-01\n',
            3,
            "quote",
        ),
        ("employee_id,name,hire_date\nE1,张三,2024-03-01\nE2,李四,2024-03-01,x,y\n", 3, "at most 3 fields"),
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_malformed_csv_is_a_problem_with_its_row_not_a_traceback(tmp_path, text, row, expected, encoding):
    (tmp_path / "employees.csv").write_bytes(text.encode(encoding))
    with pytest.raises(DataError) as exc:
        read_dataset(tmp_path)
    [p] = exc.value.problems
    assert (p.file.endswith("employees.csv"), p.row) == (True, row)
    assert expected in p.expected


def test_assignments_without_kind_are_promotions(tmp_path):
    (tmp_path / "employees.csv").write_text(EMPLOYEES, encoding="utf-8")
    (tmp_path / "assignments.csv").write_text(
        "employee_id,track,level,start_date\nE1,skill,L1,2024-05-01\n", encoding="utf-8"
    )
    assert read_dataset(tmp_path).assignments.get_column("kind").to_list() == ["promotion"]
