"""The interchange reader: encodings, workbooks, and bad input named by file, row and column."""

import datetime as dt

import polars as pl
import pytest

from rungs.core.interchange.dataset import SCHEMAS
from rungs.core.interchange.errors import DataError
from rungs.core.interchange.reader import read_dataset
from rungs.core.interchange.writer import write_dataset
from rungs.core.synth import generate

EMPLOYEES = "employee_id,name,hire_date,team,education,status\nE1,张三,2024-03-01,一组,大专,正式\nE2,李四,2023/11/15,一组,本科,试用\n"


def write(folder, name, text, encoding="utf-8"):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.csv").write_bytes(text.encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_every_encoding_excel_writes_reads_the_same(tmp_path, encoding):
    write(tmp_path, "employees", EMPLOYEES, encoding)
    emp = read_dataset(tmp_path).employees
    assert emp.get_column("name").to_list() == ["张三", "李四"]
    assert emp.get_column("team").to_list() == ["一组", "一组"]
    # 大专 → associate, 正式 → regular, 试用 → probation; YYYY/MM/DD accepted
    assert emp.get_column("education").to_list() == ["associate", "bachelor"]
    assert emp.get_column("status").to_list() == ["regular", "probation"]
    assert emp.get_column("hire_date").to_list() == [dt.date(2024, 3, 1), dt.date(2023, 11, 15)]


def test_gbk_below_the_first_rows_is_still_detected(tmp_path):
    rows = "".join(f"E{i},Agent{i},2024-01-01\n" for i in range(3000))
    write(tmp_path, "employees", "employee_id,name,hire_date\n" + rows + "E9999,王五,2024-01-01\n", "gb18030")
    emp = read_dataset(tmp_path).employees
    assert emp.get_column("name")[-1] == "王五"


def test_periods_are_parsed_into_kind_and_sequence(tmp_path):
    write(tmp_path, "employees", EMPLOYEES)
    write(
        tmp_path,
        "evaluations",
        "employee_id,period,score,grade\nE1,2026-03,91,优秀\nE1,2026-Q1,88,\n"
        "E1,2026-H1,,良好\nE1,2025,85.5,\n",
    )
    ev = read_dataset(tmp_path).evaluations
    # M: 2026*12+3-1 = 24314; Q: 2026*4+0 = 8104; H: 2026*2+0 = 4052; Y: 2025
    assert ev.select("period_kind", "seq").rows() == [("M", 24314), ("Q", 8104), ("H", 4052), ("Y", 2025)]
    assert ev.get_column("score").to_list() == [91.0, 88.0, None, 85.5]


def test_every_bad_cell_is_reported_with_file_row_column(tmp_path):
    write(
        tmp_path,
        "employees",
        "employee_id,name,hire_date,education\nE1,张三,2024-13-01,大专\nE2,,2024-01-01,小学\n"
        "E1,王五,2024-01-01,\n",
    )
    write(tmp_path, "evaluations", "employee_id,period,score\nE1,2026-13,90\nE2,2026-01,九十\n")
    with pytest.raises(DataError) as err:
        read_dataset(tmp_path)
    found = {(p.file.split("/")[-1], p.row, p.column) for p in err.value.problems}
    assert found == {
        ("employees.csv", 3, "name"),  # empty required name
        ("employees.csv", 2, "hire_date"),  # month 13
        ("employees.csv", 3, "education"),  # 小学 is not an education level of the format
        ("employees.csv", 2, "employee_id"),
        ("employees.csv", 4, "employee_id"),  # E1 twice
        ("evaluations.csv", 2, "period"),  # month 13
        ("evaluations.csv", 3, "score"),  # not a number
    }
    message = str(err.value)
    assert "employees.csv, 第2行 row 2, 列 column hire_date: expected a date YYYY-MM-DD" in message
    assert "'2024-13-01'" in message


def test_missing_required_column_and_unknown_employee(tmp_path):
    write(tmp_path, "employees", "employee_id,name\nE1,张三\n")
    with pytest.raises(DataError) as err:
        read_dataset(tmp_path)
    assert [(p.row, p.column) for p in err.value.problems] == [(1, "hire_date")]
    write(tmp_path, "employees", EMPLOYEES)
    write(tmp_path, "events", "employee_id,date,type\nE1,2026-01-05,complaint\nE7,2026-01-06,complaint\n")
    with pytest.raises(DataError) as err:
        read_dataset(tmp_path)
    [p] = err.value.problems
    assert (p.file.split("/")[-1], p.row, p.column, p.got) == ("events.csv", 3, "employee_id", "E7")


def test_employees_file_is_required(tmp_path):
    write(tmp_path, "events", "employee_id,date,type\n")
    with pytest.raises(DataError, match="employees.csv"):
        read_dataset(tmp_path)
    with pytest.raises(DataError, match="nothing at this path"):
        read_dataset(tmp_path / "nope")


def test_unknown_columns_are_kept_with_a_warning(tmp_path):
    write(tmp_path, "employees", "employee_id,name,hire_date,工位\nE1,张三,2024-01-01,A-12\n")
    data = read_dataset(tmp_path)
    assert data.employees.get_column("工位").to_list() == ["A-12"]
    assert any("工位" in w and "kept" in w for w in data.warnings)


def test_keep_metrics_keeps_only_those_rows(tmp_path):
    write(tmp_path, "employees", EMPLOYEES)
    write(
        tmp_path, "metrics", "employee_id,period,metric,value\nE1,2026-01,csat,95\nE1,2026-01,tickets,500\n"
    )
    data = read_dataset(tmp_path, keep_metrics=["tickets"])
    assert data.metrics.get_column("metric").to_list() == ["tickets"]
    assert "csat" not in data.metrics.get_column("metric")


@pytest.mark.parametrize("target", ["folder", "book.xlsx"])
def test_write_then_read_gives_the_same_data_set(tmp_path, target):
    data = generate(30, as_of=dt.date(2026, 12, 1), seed=3)
    back = read_dataset(write_dataset(data, tmp_path / target))
    for name in ("employees", "assignments", "evaluations", "metrics", "events", "positions"):
        assert back.frame(name).equals(data.frame(name)), name


def test_excel_date_cells_and_numeric_ids(tmp_path):
    book = tmp_path / "people.xlsx"
    pl.DataFrame(
        {
            "employee_id": [1001, 1002],
            "name": ["张三", "李四"],
            "hire_date": [dt.date(2024, 1, 2), dt.date(2025, 6, 30)],
        }
    ).write_excel(book, worksheet="employees")
    emp = read_dataset(book).employees
    assert emp.get_column("employee_id").to_list() == ["1001", "1002"]
    assert emp.get_column("hire_date").to_list() == [dt.date(2024, 1, 2), dt.date(2025, 6, 30)]


def test_padded_metric_names_are_kept_and_stripped(tmp_path):
    write(tmp_path, "employees", EMPLOYEES)
    write(
        tmp_path,
        "metrics",
        "employee_id,period,metric,value\nE1,2026-01, tickets ,500\nE1,2026-01,csat,95\nE1,2026-02, csat ,90\n",
    )
    data = read_dataset(tmp_path, keep_metrics=["tickets"])
    assert data.metrics.select("metric", "value").rows() == [("tickets", 500.0)]


def test_frames_have_the_schema_dtypes_labels_included(tmp_path):
    # Labels are stored compactly (Enum/Categorical) but compare with plain strings like any text.
    write(tmp_path, "employees", EMPLOYEES)
    write(
        tmp_path, "metrics", "employee_id,period,metric,value\nE1, 2026-01,tickets,500\nE1,2026-Q1,csat,95\n"
    )
    write(tmp_path, "events", "employee_id,date,type\nE1,2026-01-05,commendation_customer\n")
    data = read_dataset(tmp_path)
    for name in ("metrics", "events", "evaluations"):
        assert data.frame(name).schema == SCHEMAS[name], name
    m = data.metrics
    assert m.filter(pl.col("period_kind") == "Q").get_column("metric").to_list() == ["csat"]
    assert m.filter(pl.col("period") == "2026-01").get_column("seq").to_list() == [2026 * 12]


def test_full_width_spaces_around_names_are_stripped(tmp_path):
    write(
        tmp_path,
        "employees",
        "employee_id,name,hire_date,team\nE1,张三,2024-01-01,一组\u3000\nE2,李四,2024-01-01,一组\n",
    )
    write(tmp_path, "evaluations", "employee_id,period,score,rank\nE1,2026-01,90,1\nE2,2026-01,80,2.0\n")
    data = read_dataset(tmp_path)
    assert data.employees.get_column("team").to_list() == ["一组", "一组"]
    assert data.evaluations.get_column("rank").to_list() == [1, 2]  # 2.0 is a whole number


@pytest.mark.parametrize("content", [b"employee_id,name\nE1,x\n", b"PK\x03\x04garbage"])
def test_a_file_named_xlsx_that_is_not_a_workbook_is_a_problem_not_a_crash(tmp_path, content):
    book = tmp_path / "人员.xlsx"
    book.write_bytes(content)
    with pytest.raises(DataError) as err:
        read_dataset(book)
    (problem,) = err.value.problems
    assert problem.file == str(book) and "xlsx workbook" in problem.expected


def _people_and_metrics(tmp_path, people_ids, metric_ids):
    rows = "\n".join(f"{e},某人,2020-01-01" for e in people_ids)
    (tmp_path / "employees.csv").write_text(f"employee_id,name,hire_date\n{rows}\n", encoding="utf-8")
    rows = "\n".join(f"{e},2026-10,tickets,1" for e in metric_ids)
    (tmp_path / "metrics.csv").write_text(f"employee_id,period,metric,value\n{rows}\n", encoding="utf-8")


def test_ids_checked_against_employees_are_still_tidied_and_checked(tmp_path):
    """Other files' ids are looked up among the checked ids of employees.csv first; any id that is not
    exactly one of them is still stripped, unmarked and checked the long way."""
    _people_and_metrics(tmp_path, ["E1", "E2"], ["E1", " E2 ", "E1"])
    data = read_dataset(tmp_path)
    assert data.metrics.get_column("employee_id").to_list() == ["E1", "E2", "E1"]
    for ids, bad in ((["E1", "E3"], "E3"), (["E1", "Ｅ1"], "Ｅ1")):  # refers to nobody; full-width
        _people_and_metrics(tmp_path, ["E1", "E2"], ids)
        with pytest.raises(DataError) as err:
            read_dataset(tmp_path)
        assert [(p.row, p.column, p.got) for p in err.value.problems] == [(3, "employee_id", bad)]


def test_an_employee_id_that_looks_marked_is_still_unmarked_in_the_other_files(tmp_path):
    """employees.csv has the id '=X (written ''=X, unmarked once); a KPI row written '=X means =X, as
    our writer would have marked it, so it refers to nobody: the same answer as without the lookup."""
    _people_and_metrics(tmp_path, ["''=X"], ["'=X"])
    with pytest.raises(DataError) as err:
        read_dataset(tmp_path)
    assert [(p.file.endswith("metrics.csv"), p.row, p.got) for p in err.value.problems] == [(True, 2, "=X")]
