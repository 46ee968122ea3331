"""Schema and loading on a real (embedded) Postgres."""
from decimal import Decimal

import pytest
from sqlalchemy import inspect, text

from conftest import SAMPLES, SEEDS
from fazhi.warehouse import engine, migrate
from fazhi.warehouse.database import downgrade, report_kinds, table_counts
from ingest.load import ingest_paths

pytestmark = pytest.mark.db


def core_tables():
    return set(inspect(engine()).get_table_names(schema="core"))


def columns(table):
    return {c["name"] for c in inspect(engine()).get_columns(table, schema="core")}


def test_migrations_upgrade_downgrade_upgrade(fresh_schema):
    assert {"jurisdiction", "report", "measure", "metric", "indicator", "ingest_failure"} <= core_tables()
    assert "kind" in columns("report") and "breakdown" in columns("metric")
    assert "warnings" in columns("report") and "out_of_range" in columns("metric")
    place = {"confidence", "place_code", "place_name", "place_level"}
    assert place <= columns("metric")
    # 0007 down and up again: the columns, their checks and the partial index come and go.
    downgrade("0006")
    assert not place & columns("metric") and "correction" in core_tables()
    assert "ix_metric_listed_place" not in {i["name"] for i in inspect(engine()).get_indexes("metric", schema="core")}
    migrate("head")
    assert place <= columns("metric")
    assert "ix_metric_listed_place" in {i["name"] for i in inspect(engine()).get_indexes("metric", schema="core")}
    checks = {c["name"] for c in inspect(engine()).get_check_constraints("metric", schema="core")}
    assert {"ck_metric_confidence_range", "ck_metric_place_level"} <= checks
    # A year before 2000 loaded under 0002 is left empty with a warning by 0003.
    downgrade("0002")
    assert "out_of_range" not in columns("metric")
    with engine().begin() as conn:
        conn.execute(text("""insert into core.report (content_hash, source_path, file_format, encoding, kind, title,
                             report_year, text) values ('h0', 'old.txt', 'text', 'utf-8', 'other', null, 1995, '1995年')"""))
    migrate("head")
    with engine().begin() as conn:
        row = conn.execute(text("select report_year, warnings from core.report where content_hash = 'h0'")).one()
        assert row.report_year is None and "1995" in row.warnings[0]
        conn.execute(text("delete from core.report"))
    downgrade("0001")
    assert "kind" not in columns("report") and "breakdown" not in columns("metric")
    # Rows loaded before 0002 get their kind from the title.
    with engine().begin() as conn:
        conn.execute(text("""
            insert into core.report (content_hash, source_path, file_format, encoding, title, text) values
            ('h1', 'a.txt', 'text', 'utf-8', '某区人民政府关于2023年度法治政府建设情况的报告', '正文一'),
            ('h2', 'b.txt', 'text', 'utf-8', null, '正文二')"""))
    migrate("head")
    with engine().begin() as conn:
        kinds = dict(conn.execute(text("select source_path, kind from core.report")).all())
        assert kinds == {"a.txt": "annual_report", "b.txt": "other"}
        with pytest.raises(Exception, match="ck_report_kind"):
            with conn.begin_nested():
                conn.execute(text("update core.report set kind = 'memo'"))
        conn.execute(text("delete from core.report"))
    # One report loaded under 0003 from two files (UTF-8 and GBK, different line breaks) is one
    # report from 0004 on, with the second file as its alternate source.
    downgrade("0003")
    assert "report_source" not in core_tables()
    with engine().begin() as conn:
        conn.execute(text("""
            insert into core.report (content_hash, source_path, file_format, encoding, kind, text) values
            ('u8', 'r.txt', 'text', 'utf-8', 'annual_report', '一、行政复议\n收案57件。'),
            ('gbk', 'r-gbk.txt', 'text', 'gb18030', 'annual_report', '一、行政复议 收案57件.'),
            ('other', 's.txt', 'text', 'utf-8', 'annual_report', '一、行政复议\n收案58件。')"""))
    migrate("head")
    with engine().begin() as conn:
        assert conn.execute(text("select source_path from core.report order by report_id")).scalars().all() == [
            "r.txt", "s.txt"]
        sources = conn.execute(text("""select s.source_path, s.is_primary, r.source_path as report
                                       from core.report_source s join core.report r using (report_id)
                                       order by s.source_id""")).all()
        assert [tuple(x) for x in sources] == [("r.txt", True, "r.txt"), ("r-gbk.txt", False, "r.txt"),
                                               ("s.txt", True, "s.txt")]
        conn.execute(text("delete from core.report"))
    downgrade("base")
    assert core_tables() <= {"alembic_version"}
    migrate("head")
    assert {"jurisdiction", "report", "measure", "metric", "indicator"} <= core_tables()


@pytest.fixture(scope="module")
def loaded(fresh_schema):
    summary = ingest_paths(engine(), [SAMPLES])
    return summary


def test_ingest_seeds(loaded):
    assert loaded.count("loaded") == len(SEEDS) == 5
    with engine().connect() as conn:
        counts = table_counts(conn)
        assert counts["report"] == 5 and counts["indicator"] == 32
        assert counts["measure"] > 100 and counts["metric"] > 60
        assert report_kinds(conn) == {"annual_report": 5}
        # The seeds' subset figures (农民工 legal aid, one level of mediation committees) keep their label.
        labels = dict(conn.execute(text("""select breakdown, count(*) from core.metric
                                           where breakdown is not null group by breakdown""")).all())
        assert labels["农民工"] == 2 and labels["村居调委会"] == 1
        # Every metric's evidence is the stored text at its offsets, and sits in its measure.
        bad = conn.execute(text("""
            select count(*) from core.metric m join core.report r using (report_id)
            join core.measure ms on ms.report_id = m.report_id and ms.ordinal = m.measure_ordinal
            where substr(r.text, m.start_offset + 1, m.end_offset - m.start_offset) <> m.evidence
               or m.start_offset < ms.start_offset or m.end_offset > ms.end_offset + 1""")).scalar()
        assert bad == 0
        wulong = conn.execute(text("""
            select j.code, j.level, j.lineage_id from core.report r join core.jurisdiction j using (jurisdiction_id)
            where r.title like '%武隆%'""")).one()
        assert tuple(wulong) == ("500156", "county", "500156")
        town = conn.execute(text("""
            select j.level, p.code from core.report r join core.jurisdiction j using (jurisdiction_id)
            join core.jurisdiction p on p.jurisdiction_id = j.parent_id where r.title like '%两路街道%'""")).one()
        assert tuple(town) == ("township", "500112")


def test_reingest_adds_nothing(loaded):
    with engine().connect() as conn:
        before = table_counts(conn)
    again = ingest_paths(engine(), [SAMPLES])
    assert again.count("present") == 5 and again.count("loaded") == 0
    with engine().connect() as conn:
        assert table_counts(conn) == before


def test_bad_files_are_recorded_and_the_batch_goes_on(loaded, tmp_path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.html").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "c_menu.txt").write_text("食堂菜单:周一红烧肉,周二清蒸鱼。" * 30, encoding="utf-8")
    text_2 = SEEDS[2].read_text(encoding="utf-8").replace("纠错数9件", "纠错数8件")
    (tmp_path / "d_report.txt").write_text(text_2, encoding="utf-8")
    summary = ingest_paths(engine(), [tmp_path])
    status = {o.source.split("/")[-1]: (o.status, o.reason) for o in summary.outcomes}
    assert status["a_empty.txt"] == ("failed", "empty file")
    assert status["b_binary.html"] == ("failed", "binary file, not text or HTML")
    assert status["c_menu.txt"][0] == "loaded"  # no report, but read: it states no figure
    assert status["d_report.txt"][0] == "loaded"
    with engine().connect() as conn:
        reasons = dict(conn.execute(text("select source_path, reason from core.ingest_failure")).all())
        assert reasons[str(tmp_path / "a_empty.txt")] == "empty file"
        assert conn.execute(text("select count(*) from core.report")).scalar() == 7
        kinds = dict(conn.execute(text("select source_path, kind from core.report")).all())
        assert kinds[str(tmp_path / "c_menu.txt")] == "other"
        assert kinds[str(tmp_path / "d_report.txt")] == "annual_report"


def test_measures_by_topic_in_sql(loaded):
    with engine().connect() as conn:
        rows = conn.execute(text("""
            select r.title, m.section, m.text from core.measure m join core.report r using (report_id)
            where '行政复议' = any(m.topics) and r.report_year = 2023 and m.section_kind = 'results'
            order by r.report_id, m.ordinal""")).all()
    assert rows and all("复议" in row.text for row in rows)
    assert {row.title[:6] for row in rows} >= {"重庆市武隆区"[:6], "蓟州区司法局"[:6]}


def test_concurrent_load_of_the_same_file_is_present_not_an_error(loaded, monkeypatch):
    """Run B checked for a file before run A committed it: B's batch is refused by the unique
    keys, written again report by report, the file is then present and the other report of the
    batch still loads."""
    from ingest.load import Loader, write
    from ingest.load.prepare import prepare
    from ingest.parse import parse_bytes, parse_file

    checks = []

    def checked_too_early(real):
        def check(cur, values):
            checks.append(real.__name__)
            empty = type(real(cur, values))()
            return empty if len(checks) <= 2 else real(cur, values)   # the batch's two checks see nothing
        return check

    monkeypatch.setattr(write, "known_sources", checked_too_early(write.known_sources))
    monkeypatch.setattr(write, "_by_text_key", checked_too_early(write._by_text_key))
    again = parse_file(SEEDS[0])
    other = parse_bytes("某县司法局2023年法治政府建设年度报告\n一、主要举措\n全年办理法律援助案件4321件。\n".encode(),
                        "other.txt")
    loader = Loader(engine())
    assert loader.add(prepare(again)) == [] and loader.add(prepare(other)) == []
    assert [o.status for o in loader.flush()] == ["present", "loaded"]
    with engine().connect() as conn:
        n = conn.execute(text("select count(*) from core.report where content_hash = :h"),
                         {"h": again.doc.content_hash}).scalar()
    assert n == 1


def test_kind_and_breakdown_are_stored(loaded):
    """A news item on a town's medical-dispute committee: the kind on the report, the subset on its figure."""
    from ingest.load import load_report
    from ingest.parse import parse_bytes

    news = ("两路街道召开2023年度行政调解工作总结会\n来源:重庆市渝北区人民政府两路街道办事处 发布时间:2024-01-10\n"
            "近日,两路街道召开行政调解工作总结会。会议通报,2023年街道医疗纠纷调解委员会调解纠纷120件,调解成功率98.3%。\n")
    parsed = parse_bytes(news.encode("utf-8"), "liangu_news.txt")
    assert parsed.kind == "news"
    # The committee is the subject of both figures: both are limited to it.
    assert [(m.indicator, m.breakdown) for m in parsed.metrics] == [
        ("mediation.disputes", "医疗纠纷"), ("mediation.success_rate", "医疗纠纷")]
    with engine().begin() as conn:
        assert load_report(conn, parsed) == "loaded"
    with engine().connect() as conn:
        row = conn.execute(text("""
            select r.kind, array_agg(m.breakdown order by m.start_offset) as breakdowns
            from core.report r join core.metric m using (report_id)
            where r.content_hash = :h group by r.kind"""), {"h": parsed.doc.content_hash}).one()
    assert row.kind == "news" and row.breakdowns == ["医疗纠纷", "医疗纠纷"]


def test_copy_rows_keep_backslashes_tabs_quotes_and_arrays(loaded):
    """Rows are prepared as COPY text in the workers (copyrows.py): what Postgres stores is the text."""
    from ingest.load import load_report
    from ingest.parse import parse_bytes

    body = ('某县2023年法治政府建设年度报告\n一、主要举措\n(一)复议\t"应诉"\\N 路径C:\\fazhi\\n,'
            '全年办理行政复议案件57件。\n')
    parsed = parse_bytes(body.encode("utf-8"), "escapes.txt")
    parsed.measures[-1].keywords = ['带"引号"', "反\\斜杠", "逗,号", "{括号}"]
    with engine().begin() as conn:
        assert load_report(conn, parsed) == "loaded"
    with engine().connect() as conn:
        stored = conn.execute(text("select text from core.report where content_hash = :h"),
                              {"h": parsed.doc.content_hash}).scalar()
        rows = conn.execute(text("""select m.text, m.keywords from core.measure m join core.report r using (report_id)
                                    where r.content_hash = :h order by m.ordinal"""),
                            {"h": parsed.doc.content_hash}).all()
    assert stored == parsed.doc.text
    assert [r.text for r in rows] == [m.text for m in parsed.measures]
    assert rows[-1].keywords == ['带"引号"', "反\\斜杠", "逗,号", "{括号}"]


def test_models_and_migrations_agree(fresh_schema):
    """target_metadata (ingest.load.models) and the migrations describe the same core schema: a
    migration that forgot a column, index or constraint of a model shows here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ingest.load.models import Base

    def core_only(name, type_, parent):
        return name == "core" if type_ == "schema" else name != "alembic_version"

    with engine().connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_schemas": True, "include_name": core_only})
        assert compare_metadata(ctx, Base.metadata) == []


def test_reparse_replaces_reports_and_keeps_their_alternates(loaded, tmp_path):
    """fazhi ingest --reparse: every report read again under a new id, the same figures (the
    parser has not changed), alternate files still attached to their report."""
    (tmp_path / "seed1_gbk.txt").write_bytes(SEEDS[1].read_text(encoding="utf-8").encode("gb18030"))
    assert ingest_paths(engine(), [tmp_path]).count("alternate") == 1

    def state():   # of the seeds' reports (other tests of this module load more)
        seeds = {"p": f"{SAMPLES}/%"}
        with engine().connect() as conn:
            reports = dict(conn.execute(text("select text_hash, report_id from core.report where source_path like :p"),
                                        seeds).all())
            figures = conn.execute(text("""select r.text_hash, m.indicator_code, m.scope, m.value, m.evidence
                                           from core.metric m join core.report r using (report_id)
                                           where r.source_path like :p"""), seeds).all()
            sources = conn.execute(text("""select s.source_path, s.is_primary, r.text_hash
                                           from core.report_source s join core.report r using (report_id)
                                           where r.source_path like :p"""), seeds).all()
        return reports, sorted(map(tuple, figures)), sorted(map(tuple, sources))

    reports, figures, sources = state()
    summary = ingest_paths(engine(), [SAMPLES, tmp_path], reparse=True)
    assert summary.count("reparsed") == len(SEEDS) and summary.count("present") == 1   # the alternate
    again, figures_again, sources_again = state()
    assert len(reports) == len(SEEDS) and again.keys() == reports.keys()
    assert not set(again.values()) & set(reports.values())
    assert figures_again == figures and sources_again == sources
    assert ingest_paths(engine(), [SAMPLES, tmp_path]).count("present") == len(SEEDS) + 1


def test_confidence_and_listed_place_are_stored(loaded):
    """A statistics page with a row per city: each row's figures carry the city (place_*) and
    every figure its confidence, as the extractor sets them (None stays null: unknown)."""
    from ingest.load import load_report
    from ingest.parse import parse_bytes

    page = ("浙江省2023年行政复议案件统计\n发布时间:2024-03-15 来源:浙江省司法厅\n\n"
            "地区 | 行政复议收案数(件)\n温州市 | 1500\n湖州市 | 800\n合计 | 2300\n")
    parsed = parse_bytes(page.encode("utf-8"), "zhejiang_stats.txt")
    cities = {"温州市": {"name": "浙江省温州市", "code": "330300", "level": "city"},
              "湖州市": {"name": "浙江省湖州市", "code": "", "level": "city"}}
    for m in parsed.metrics:
        m.place = cities.get(m.breakdown)
        m.confidence = 0.97 if m.place else None
    assert sorted(m.breakdown or "" for m in parsed.metrics) == ["", "温州市", "湖州市"]
    with engine().begin() as conn:
        assert load_report(conn, parsed) == "loaded"
        rows = conn.execute(text("""
            select m.value, m.confidence, m.place_code, m.place_name, m.place_level
            from core.metric m join core.report r using (report_id) where r.content_hash = :h
            order by m.start_offset"""), {"h": parsed.doc.content_hash}).all()
        assert [tuple(r) for r in rows] == [(1500, Decimal("0.97"), "330300", "浙江省温州市", "city"),
                                            (800, Decimal("0.97"), None, "浙江省湖州市", "city"),
                                            (2300, None, None, None, None)]
        with pytest.raises(Exception, match="ck_metric_confidence_range"):
            with conn.begin_nested():
                conn.execute(text("update core.metric set confidence = 1.5 where place_code = '330300'"))
        with pytest.raises(Exception, match="ck_metric_place_level"):
            with conn.begin_nested():
                conn.execute(text("update core.metric set place_level = 'village' where place_code = '330300'"))
