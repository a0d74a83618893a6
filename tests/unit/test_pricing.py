"""Tests for lambdalab.pricing: AWS's published worked examples to the cent, then the rules.

Worked examples come from AWS pages; each test names its source. Figures marked "our
arithmetic" are computed from the published rates where the source gives no dollar figure.
"""

from __future__ import annotations

import dataclasses
import doctest
import math

import pytest

from lambdalab import pricing
from lambdalab.pricing import (
    EFFECTIVE,
    FREE_TIER,
    PRICES,
    SOURCE,
    ArchitecturePrices,
    CostBreakdown,
    Report,
    cost_from_reports,
    crossover_requests,
    monthly_cost,
    parse_report,
    server_monthly_cost,
    vcpus,
)

PRICING_PAGE = "https://aws.amazon.com/lambda/pricing/"


def cents(bill: CostBreakdown) -> dict[str, float]:
    return bill.rounded()


# ---------------------------------------------------------------------------------------
# Published worked examples
# ---------------------------------------------------------------------------------------


def test_mobile_backend_example_with_free_tier():
    # https://aws.amazon.com/lambda/pricing/ , "Lambda Ephemeral Storage Pricing",
    # Example 1: Mobile application backend. 3M requests, 120 ms, 1,536 MB, x86.
    # 540,000 GB-s - 400,000 free = 140,000 GB-s -> $2.33; 2M billable requests -> $0.40;
    # total $2.73 (also in lambda-facts.md section 11).
    bill = monthly_cost(requests=3_000_000, duration_ms=120, memory_mb=1536)
    assert bill.compute_gb_seconds == pytest.approx(540_000)
    assert bill.billable_gb_seconds == pytest.approx(140_000)
    assert bill.billable_requests == 2_000_000
    r = cents(bill)
    assert (r["compute_charge"], r["request_charge"], r["total"]) == (2.33, 0.40, 2.73)
    assert bill.cents == 273


def test_article_example_512mb_200ms_one_million():
    # lambda-facts.md, "Claims in source-article.txt", item 7: 512 MB, 200 ms, 1M requests:
    # $0.20 + $1.67 = $1.87 without the free tier, $0.00 with it, $1.53 on Arm without it.
    no_free = monthly_cost(1_000_000, 200, 512, free_tier=False)
    assert (cents(no_free)["request_charge"], cents(no_free)["compute_charge"]) == (0.20, 1.67)
    assert cents(no_free)["total"] == 1.87
    assert monthly_cost(1_000_000, 200, 512).total == 0.0
    assert monthly_cost(1_000_000, 200, 512, architecture="arm64", free_tier=False).cents == 153


def test_streaming_telemetry_example_without_free_tier():
    # https://aws.amazon.com/lambda/pricing/ , ephemeral storage section, Example 2
    # (the same numbers open the SnapStart example): 10,000 vehicles * 24 * 31 =
    # 7,440,000 requests, 2 s, 1,024 MB, x86. The page applies no free tier here:
    # requests $1.488 ~= $1.49; 14.88M GB-s * $0.0000166667 = $248.00; total $249.49.
    bill = monthly_cost(7_440_000, 2000, 1024, free_tier=False)
    assert bill.compute_gb_seconds == pytest.approx(14_880_000)
    r = cents(bill)
    assert (r["request_charge"], r["compute_charge"], r["total"]) == (1.49, 248.00, 249.49)


def test_bert_example_with_ephemeral_storage():
    # https://aws.amazon.com/lambda/pricing/ , ephemeral storage section, Example 3:
    # 6M requests, 280 ms, 4,096 MB, x86, 2,048 MB ephemeral storage.
    # 6,720,000 - 400,000 = 6,320,000 GB-s -> $105.33; 5M requests -> $1;
    # storage (2048 - 512) MB * 1,680,000 s = 2,520,000 GB-s * $0.0000000309 = $0.08;
    # total $106.41.
    bill = monthly_cost(6_000_000, 280, 4096, ephemeral_storage_mb=2048)
    assert bill.billable_gb_seconds == pytest.approx(6_320_000)
    assert bill.ephemeral_storage_gb_seconds == pytest.approx(2_520_000)
    r = cents(bill)
    assert r["compute_charge"] == 105.33
    assert r["request_charge"] == 1.00
    assert r["ephemeral_storage_charge"] == 0.08
    assert r["total"] == 106.41


def test_provisioned_concurrency_example_1_mobile_launch():
    # https://aws.amazon.com/lambda/pricing/ , "Provisioned Concurrency Pricing",
    # Example 1: 3M requests/month, 1,536 MB, x86. Provisioned Concurrency 100 for 8 hours
    # serving 500,000 requests at 100 ms; the other 2.5M requests run on demand at 120 ms.
    # PC: 150 GB * 28,800 s = 4,320,000 GB-s -> $18; requests 3M - 1M free -> $0.40;
    # PC duration 75,000 GB-s * $0.0000097222 -> $0.73;
    # on-demand 450,000 - 400,000 free = 50,000 GB-s -> $0.83; total $19.96.
    bill = monthly_cost(
        requests=3_000_000,
        duration_ms=120,
        memory_mb=1536,
        provisioned_concurrency=100,
        provisioned_hours=8,
        provisioned_requests=500_000,
        provisioned_duration_ms=100,
    )
    assert bill.provisioned_concurrency_gb_seconds == pytest.approx(4_320_000)
    assert bill.provisioned_duration_gb_seconds == pytest.approx(75_000)
    assert bill.compute_gb_seconds == pytest.approx(450_000)
    r = cents(bill)
    assert r["provisioned_concurrency_charge"] == 18.00
    assert r["request_charge"] == 0.40
    assert r["provisioned_duration_charge"] == 0.73
    assert r["compute_charge"] == 0.83
    assert r["total"] == 19.96


def test_provisioned_concurrency_example_2_cyber_monday():
    # https://aws.amazon.com/lambda/pricing/ , "Provisioned Concurrency Pricing",
    # Example 2: 2M requests in 24 h, all on Provisioned Concurrency 7, 280 ms, 4,096 MB.
    # PC 28 GB * 86,400 s = 2,419,200 GB-s -> $10.08; duration 2,240,000 GB-s -> $21.78;
    # requests 2M * $0.2/M = $0.40 (no free tier: all served by PC); total $32.26.
    bill = monthly_cost(
        requests=2_000_000,
        duration_ms=280,
        memory_mb=4096,
        provisioned_concurrency=7,
        provisioned_hours=24,
        provisioned_requests=2_000_000,
    )
    assert bill.provisioned_concurrency_gb_seconds == pytest.approx(2_419_200)
    assert bill.provisioned_duration_gb_seconds == pytest.approx(2_240_000)
    r = cents(bill)
    assert r["provisioned_concurrency_charge"] == 10.08
    assert r["provisioned_duration_charge"] == 21.78
    assert r["request_charge"] == 0.40
    assert r["compute_charge"] == 0.0
    assert r["total"] == 32.26


def test_tenant_isolation_example_request_and_compute_lines():
    # https://aws.amazon.com/lambda/pricing/ , "Tenant Isolation Pricing" example:
    # 10M invokes, 2 s, 1,024 MB, x86, no free tier applied: requests $2,
    # 20M GB-s * $0.0000166667, which the page prints as $333.34. The product is
    # $333.334, i.e. $333.33 to the cent; the page's other examples round the same way
    # ($2.333338 -> $2.33, $105.3335 -> $105.33), so we take $333.34 as the page's slip.
    # (The tenant isolation line itself is not modelled here.)
    bill = monthly_cost(10_000_000, 2000, 1024, free_tier=False)
    assert bill.compute_gb_seconds == pytest.approx(20_000_000)
    assert bill.compute_charge == pytest.approx(333.334)
    assert (cents(bill)["request_charge"], cents(bill)["compute_charge"]) == (2.00, 333.33)


def test_response_streaming_example_request_and_compute_lines():
    # https://aws.amazon.com/lambda/pricing/ , "Lambda HTTP Response Stream Pricing":
    # 3M requests, 500 ms, 1,536 MB, x86: 2,250,000 - 400,000 = 1,850,000 GB-s -> $30.83;
    # requests $0.40 (the streamed-bytes line is not modelled here).
    bill = monthly_cost(3_000_000, 500, 1536)
    assert bill.billable_gb_seconds == pytest.approx(1_850_000)
    assert (cents(bill)["compute_charge"], cents(bill)["request_charge"]) == (30.83, 0.40)


def test_durable_functions_example_on_arm_with_free_tier():
    # https://aws.amazon.com/lambda/pricing/ , "Lambda Durable Functions Pricing" example:
    # 1M executions of 2 invocations (32 s of compute in all), 1 GB, Arm.
    # 32M - 400,000 free = 31.6M GB-s * $0.0000133334 = $421.34; 2M - 1M free requests
    # -> $0.20 (durable operations not modelled). 2M invocations averaging 16 s each.
    bill = monthly_cost(2_000_000, 16_000, 1024, architecture="arm64")
    assert bill.billable_gb_seconds == pytest.approx(31_600_000)
    assert (cents(bill)["compute_charge"], cents(bill)["request_charge"]) == (421.34, 0.20)


def test_event_source_mapping_examples_request_and_compute_lines():
    # https://aws.amazon.com/lambda/pricing/ , "Provisioned Mode for ESM", Examples 2 and 3,
    # which apply no free tier. Ex 2: 30M requests, 1 s, 1,024 MB -> $500 + $6.
    # Ex 3: 300M requests, 0.2 s, 1,024 MB -> 60M GB-s -> $1,000 + $60.
    r2 = cents(monthly_cost(30_000_000, 1000, 1024, free_tier=False))
    assert (r2["compute_charge"], r2["request_charge"]) == (500.00, 6.00)
    r3 = cents(monthly_cost(300_000_000, 200, 1024, free_tier=False))
    assert (r3["compute_charge"], r3["request_charge"]) == (1000.00, 60.00)


def test_older_pricing_page_example_with_its_own_price_list():
    # An older copy of https://aws.amazon.com/lambda/pricing/ , Example 1, priced at
    # $0.00001667 per GB-s: 512 MB, 3M requests, 1 s each. 1,500,000 - 400,000 =
    # 1,100,000 GB-s -> $18.34; 2M requests -> $0.40; total $18.74.
    # It also shows that a price list is data: pass another one in.
    old = {
        "x86_64": dataclasses.replace(PRICES["x86_64"], duration_tiers=((math.inf, 0.00001667),))
    }
    bill = monthly_cost(3_000_000, 1000, 512, prices=old)
    r = cents(bill)
    assert (r["compute_charge"], r["request_charge"], r["total"]) == (18.34, 0.40, 18.74)
    assert "custom price list" in str(bill)
    with pytest.raises(ValueError, match="no prices for 'arm64'"):
        monthly_cost(3_000_000, 1000, 512, architecture="arm64", prices=old)


def test_tiered_pricing_blog_example_volume():
    # https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/
    # (as reported by The Register, 2022-08-08): 2,048 MB, 60 s average, 75M invocations
    # a month, x86 -> about 9 billion GB-s, 3 billion past the 6 billion mark.
    # The dollar figures below are our arithmetic from the published tier prices.
    bill = monthly_cost(75_000_000, 60_000, 2048, free_tier=False)
    assert bill.compute_gb_seconds == pytest.approx(9e9)
    expected = 6e9 * 0.0000166667 + 3e9 * 0.0000150000
    assert bill.compute_charge == pytest.approx(expected)
    assert cents(bill)["compute_charge"] == 145_000.20


# ---------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------


def test_docstring_examples_run():
    # The module's examples are part of the course text; keep them true.
    result = doctest.testmod(pricing, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 10


def test_price_list_is_data_with_source_and_date():
    assert set(PRICES) == {"x86_64", "arm64"}
    assert all(isinstance(p, ArchitecturePrices) for p in PRICES.values())
    assert "aws.amazon.com/lambda/pricing" in SOURCE
    assert EFFECTIVE == "2025-10-01"
    assert (FREE_TIER.requests, FREE_TIER.gb_seconds) == (1_000_000, 400_000)
    assert PRICES["x86_64"].duration_tiers[0] == (6e9, 0.0000166667)
    assert PRICES["arm64"].provisioned_duration_per_gb_second == 0.0000077778


@pytest.mark.parametrize(
    ("duration_ms", "billed_ms"), [(0.4, 1), (1.0, 1), (120.01, 121), (15.74, 16)]
)
def test_duration_rounds_up_to_whole_milliseconds(duration_ms, billed_ms):
    bill = monthly_cost(1000, duration_ms, 1024, free_tier=False)
    assert bill.compute_gb_seconds == pytest.approx(1000 * billed_ms / 1000)


def test_free_tier_caps_charges_at_zero():
    bill = monthly_cost(500_000, 100, 128)
    assert bill.total == 0.0
    assert bill.billable_requests == 0
    assert bill.billable_gb_seconds == 0
    assert bill.free_gb_seconds == pytest.approx(bill.compute_gb_seconds)
    assert monthly_cost(0, 0, 128).total == 0.0


def test_free_tier_is_one_allowance_shared_by_both_architectures():
    # Same 400,000 GB-s whichever architecture; not one allowance each.
    for arch in ("x86_64", "arm64"):
        bill = monthly_cost(10_000_000, 100, 1024, architecture=arch)
        assert bill.free_gb_seconds == FREE_TIER.gb_seconds
        first_price = PRICES[arch].duration_tiers[0][1]
        assert bill.compute_charge == pytest.approx((1_000_000 - 400_000) * first_price)


def test_free_tier_off_when_used_elsewhere():
    on = monthly_cost(3_000_000, 120, 1536)
    off = monthly_cost(3_000_000, 120, 1536, free_tier=False)
    assert off.total - on.total == pytest.approx(0.20 + 400_000 * 0.0000166667)


def test_x86_tier_boundaries():
    gb = 10_240 / 1024  # 10 GB
    per_request = gb * 900  # 900 s at 10 GB = 9,000 GB-s a request
    exactly_6b = monthly_cost(6e9 / per_request, 900_000, 10_240, free_tier=False)
    assert exactly_6b.compute_charge == pytest.approx(6e9 * 0.0000166667)
    crossing = monthly_cost(7e9 / per_request, 900_000, 10_240, free_tier=False)
    assert crossing.compute_charge == pytest.approx(6e9 * 0.0000166667 + 1e9 * 0.000015)
    top = monthly_cost(20e9 / per_request, 900_000, 10_240, free_tier=False)
    expected = 6e9 * 0.0000166667 + 9e9 * 0.000015 + 5e9 * 0.0000133334
    assert top.compute_charge == pytest.approx(expected)


def test_free_tier_comes_off_the_first_tier():
    # Volume tiers count all GB-s; the free GB-s are the first ones of tier 1.
    per_request = 9000.0
    bill = monthly_cost(7e9 / per_request, 900_000, 10_240)
    expected = (6e9 - 400_000) * 0.0000166667 + 1e9 * 0.000015
    assert bill.compute_charge == pytest.approx(expected)


def test_arm_tier_boundary_at_7_5_billion():
    bill = monthly_cost(8e9 / 9000, 900_000, 10_240, architecture="arm64", free_tier=False)
    assert bill.compute_charge == pytest.approx(7.5e9 * 0.0000133334 + 0.5e9 * 0.0000120001)


@pytest.mark.parametrize("requests", [2_000_000, 50_000_000, 2e9])
def test_arm_is_cheaper(requests):
    x86 = monthly_cost(requests, 250, 2048)
    arm = monthly_cost(requests, 250, 2048, architecture="arm64")
    assert arm.total < x86.total
    assert arm.request_charge == x86.request_charge


def test_ephemeral_storage_only_above_512_mb():
    assert monthly_cost(1_000_000, 1000, 1024).ephemeral_storage_charge == 0
    bill = monthly_cost(1_000_000, 1000, 1024, ephemeral_storage_mb=10_240)
    # 9.5 GB above the included 512 MB, for 1,000,000 billed seconds; no free tier.
    assert bill.ephemeral_storage_gb_seconds == pytest.approx(9.5 * 1_000_000)
    assert bill.ephemeral_storage_charge == pytest.approx(9.5e6 * 0.0000000309)


def test_init_billing_follows_cold_start_rate():
    warm = monthly_cost(10_000_000, 100.2, 512, free_tier=False)
    cold = monthly_cost(
        10_000_000, 100.2, 512, free_tier=False, cold_start_rate=0.05, init_duration_ms=130.49
    )
    assert warm.init_charge == 0
    # A cold invocation bills ceil(100.2 + 130.49) = 231 ms instead of 101 ms.
    assert cold.init_gb_seconds == pytest.approx(500_000 * 0.130 * 0.5)
    assert cold.init_charge == pytest.approx(cold.init_gb_seconds * 0.0000166667)
    assert cold.compute_charge == pytest.approx(warm.compute_charge)
    assert cold.total > warm.total
    doubled = monthly_cost(
        10_000_000, 100.2, 512, free_tier=False, cold_start_rate=0.10, init_duration_ms=130.49
    )
    assert doubled.init_charge == pytest.approx(2 * cold.init_charge)


def test_free_tier_covers_invocation_time_before_init():
    # 1M requests at 100 ms, 2 GB = 200,000 GB-s of invocation, inside the free tier;
    # INIT adds 1M * 0.5 cold * 1 s * 2 GB = 1,000,000 GB-s; 200,000 of it is free.
    bill = monthly_cost(1_000_000, 100, 2048, cold_start_rate=0.5, init_duration_ms=1000)
    assert bill.compute_charge == 0
    assert bill.init_charge == pytest.approx(800_000 * 0.0000166667)


def test_provisioned_concurrency_time_rounds_up_to_five_minutes():
    bill = monthly_cost(0, 100, 1024, provisioned_concurrency=1, provisioned_hours=61 / 60)
    assert bill.provisioned_concurrency_gb_seconds == pytest.approx(65 * 60)
    exact = monthly_cost(0, 100, 1024, provisioned_concurrency=2, provisioned_hours=1)
    assert exact.provisioned_concurrency_gb_seconds == pytest.approx(2 * 3600)


def test_free_tier_does_not_apply_to_provisioned_concurrency():
    bill = monthly_cost(
        100_000, 100, 1024, provisioned_concurrency=1, provisioned_hours=1,
        provisioned_requests=100_000,
    )  # fmt: skip
    assert bill.billable_requests == 100_000
    assert bill.free_gb_seconds == 0
    assert bill.provisioned_duration_charge == pytest.approx(10_000 * 0.0000097222)


def test_breakdown_is_frozen_and_totals_its_lines():
    bill = monthly_cost(3_000_000, 120, 1536, ephemeral_storage_mb=1024)
    with pytest.raises(dataclasses.FrozenInstanceError):
        bill.request_charge = 0  # type: ignore[misc]
    lines = [getattr(bill, name) for name, _ in CostBreakdown.LINES]
    assert bill.total == pytest.approx(sum(lines))
    assert isinstance(bill.total, float)
    assert isinstance(bill.cents, int)
    assert set(bill.rounded()) == {name for name, _ in CostBreakdown.LINES} | {"total"}


def test_text_table():
    text = str(monthly_cost(3_000_000, 120, 1536))
    assert "Requests" in text and "$0.40" in text
    assert "Duration (on-demand)" in text and "$2.33" in text
    assert "140,000 GB-s" in text and "$0.0000166667/GB-s" in text
    assert text.splitlines()[-2].startswith("Total") and text.splitlines()[-2].endswith("$2.73")
    assert "Free tier used: 1,000,000 requests and 400,000 GB-s" in text
    assert "Provisioned Concurrency" not in text


def test_text_table_shows_provisioned_and_storage_lines_when_used():
    bill = monthly_cost(
        2_000_000, 280, 4096, ephemeral_storage_mb=1024, provisioned_concurrency=7,
        provisioned_hours=24, provisioned_requests=2_000_000,
    )  # fmt: skip
    text = str(bill)
    assert "Provisioned Concurrency" in text and "$10.08" in text
    assert "Ephemeral storage above 512 MB" in text


def test_html_table_for_jupyter():
    out = monthly_cost(3_000_000, 120, 1536)._repr_html_()
    assert out.startswith("<table>")
    assert "<td style='text-align:left'>Requests</td>" in out
    assert "$2.73" in out and "x86_64" in out


# ---------------------------------------------------------------------------------------
# REPORT lines
# ---------------------------------------------------------------------------------------

COLD = (
    "REPORT RequestId: 0b4e5a3c-7c2d-4a5e-9f1e-2a3b4c5d6e7f\tDuration: 15.74 ms\t"
    "Billed Duration: 147 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\t"
    "Init Duration: 130.49 ms"
)
WARM = (
    "REPORT RequestId: 5c6d7e8f-1a2b-4c3d-8e9f-0a1b2c3d4e5f\tDuration: 2.31 ms\t"
    "Billed Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB"
)
LOG = "\n".join(
    [
        "START RequestId: 0b4e5a3c-7c2d-4a5e-9f1e-2a3b4c5d6e7f Version: $LATEST",
        "[INFO]\t2026-01-01T00:00:00Z\thello",
        "END RequestId: 0b4e5a3c-7c2d-4a5e-9f1e-2a3b4c5d6e7f",
        COLD,
        "START RequestId: 5c6d7e8f-1a2b-4c3d-8e9f-0a1b2c3d4e5f Version: $LATEST",
        "END RequestId: 5c6d7e8f-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
        WARM,
        WARM,
        WARM,
    ]
)


def test_parse_report_cold_and_warm():
    cold = parse_report(COLD)
    assert cold == Report(
        request_id="0b4e5a3c-7c2d-4a5e-9f1e-2a3b4c5d6e7f",
        duration_ms=15.74,
        billed_duration_ms=147,
        memory_size_mb=128,
        max_memory_used_mb=56,
        init_duration_ms=130.49,
    )
    assert cold.cold_start
    warm = parse_report(WARM)
    assert warm.init_duration_ms is None and not warm.cold_start
    assert warm.billed_duration_ms == 3


def test_parse_report_accepts_spaces_and_a_timestamp_prefix():
    line = "2026-01-01T00:00:00.000Z " + COLD.replace("\t", "  ")
    assert parse_report(line) == parse_report(COLD)


def test_parse_report_rejects_other_lines():
    with pytest.raises(ValueError, match="not a Lambda REPORT line.*Billed Duration"):
        parse_report("START RequestId: abc Version: $LATEST")


def test_cost_from_reports_sample_as_whole_month():
    bill = cost_from_reports(LOG, free_tier=False)
    assert bill.requests == 4
    # Cold: ceil(15.74) = 16 ms invocation + 131 ms INIT; warm: 3 ms each.
    gb = 128 / 1024
    assert bill.compute_gb_seconds == pytest.approx((147 + 3 * 3) / 1000 * gb)
    assert bill.init_gb_seconds == pytest.approx(131 / 1000 * gb)


def test_cost_from_reports_scales_to_requests_per_month():
    bill = cost_from_reports(LOG.splitlines(), requests_per_month=40_000_000, free_tier=False)
    # Per request: 156 ms / 4 = 39 ms billed; cold share 1/4.
    gb_s = 40_000_000 * 0.039 * 0.125
    assert bill.compute_gb_seconds == pytest.approx(gb_s)
    assert bill.init_gb_seconds == pytest.approx(10_000_000 * 0.131 * 0.125)
    assert bill.total == pytest.approx(40 * 0.20 + gb_s * 0.0000166667)
    # Same numbers as monthly_cost with the measured cold-start share and durations.
    same = monthly_cost(
        40_000_000, 3, 128, free_tier=False, cold_start_rate=0.25, init_duration_ms=0
    )
    assert bill.request_charge == pytest.approx(same.request_charge)


def test_cost_from_reports_list_and_string_agree():
    assert cost_from_reports(LOG) == cost_from_reports(LOG.splitlines())


def test_cost_from_reports_needs_a_report_line():
    with pytest.raises(ValueError, match="no REPORT line found.*Billed Duration"):
        cost_from_reports("START RequestId: abc Version: $LATEST\nEND RequestId: abc")
    with pytest.raises(ValueError, match="no REPORT line found"):
        cost_from_reports([])


def test_cost_from_reports_rejects_mixed_memory_sizes():
    other = WARM.replace("Memory Size: 128 MB", "Memory Size: 256 MB")
    with pytest.raises(ValueError, match=r"mix memory sizes \[128, 256\]"):
        cost_from_reports([COLD, other])


# ---------------------------------------------------------------------------------------
# Bad input: every message says what is allowed
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"requests": -1}, r"requests must be a number >= 0, got -1"),
        ({"duration_ms": -5}, r"duration_ms must be a number >= 0 \(milliseconds\), got -5"),
        ({"memory_mb": 127}, r"from 128 to 10,240 \(any 1 MB step is allowed\), got 127"),
        ({"memory_mb": 10_241}, r"from 128 to 10,240 \(any 1 MB step is allowed\), got 10241"),
        ({"memory_mb": 1536.5}, r"whole number of MB .*1 MB step"),
        ({"architecture": "arm"}, r"must be 'x86_64' or 'arm64' \(AWS's names\), got 'arm'"),
        ({"architecture": "x86"}, r"'x86_64' or 'arm64'"),
        ({"ephemeral_storage_mb": 511}, r"ephemeral_storage_mb .* from 512 to 10,240"),
        ({"ephemeral_storage_mb": 10_241}, r"from 512 to 10,240 .*got 10241"),
        ({"cold_start_rate": 1.5}, r"cold_start_rate must be a share from 0 to 1"),
        ({"init_duration_ms": -1}, r"init_duration_ms must be a number >= 0"),
        ({"provisioned_concurrency": -1}, r"provisioned_concurrency must be a whole number"),
        ({"provisioned_hours": -1}, r"provisioned_hours must be a number >= 0 \(hours\)"),
        ({"provisioned_requests": 10}, r"provisioned_requests needs Provisioned Concurrency"),
        (
            {"provisioned_requests": 2_000, "provisioned_concurrency": 1, "provisioned_hours": 1},
            r"provisioned_requests \(2,000\) cannot exceed requests \(1,000\)",
        ),
    ],
)
def test_monthly_cost_rejects_bad_input(kwargs, message):
    args = {"requests": 1000, "duration_ms": 100, "memory_mb": 128, **kwargs}
    with pytest.raises(ValueError, match=message):
        monthly_cost(**args)


def test_helpers_reject_bad_input():
    with pytest.raises(ValueError, match="hourly_price must be a number >= 0"):
        server_monthly_cost(-0.01)
    with pytest.raises(ValueError, match="server_monthly must be a number >= 0"):
        crossover_requests(100, 128, -1)
    with pytest.raises(ValueError, match="from 128 to 10,240"):
        vcpus(64)
    with pytest.raises(ValueError, match="'x86_64' or 'arm64'"):
        crossover_requests(100, 128, 10, architecture="graviton")
    with pytest.raises(ValueError, match="'x86_64' or 'arm64'"):
        cost_from_reports([WARM], architecture="aarch64")


# ---------------------------------------------------------------------------------------
# Lesson 05 helpers
# ---------------------------------------------------------------------------------------


def test_server_monthly_cost_uses_730_hours():
    assert server_monthly_cost(0.10) == pytest.approx(73.0)
    assert pricing.HOURS_PER_MONTH == 730


def test_vcpus_one_at_1769_mb():
    assert vcpus(1769) == 1.0
    assert vcpus(128) == pytest.approx(128 / 1769)


@pytest.mark.parametrize("architecture", ["x86_64", "arm64"])
@pytest.mark.parametrize("server", [0.5, 15.184, 60.0, 500_000.0])
def test_crossover_is_where_lambda_costs_the_same(architecture, server):
    n = crossover_requests(120, 512, server, architecture=architecture)
    cost = monthly_cost(n, 120, 512, architecture=architecture).total
    assert cost == pytest.approx(server, rel=1e-9)
    assert monthly_cost(n * 0.99, 120, 512, architecture=architecture).total < server
    assert monthly_cost(n * 1.01, 120, 512, architecture=architecture).total > server


def test_crossover_by_hand_and_free_tier():
    # t3.small-like server, $0.0208/h -> $15.184. 120 ms, 512 MB = 0.06 GB-s a request.
    # Past the free tier: 0.2e-6 (R - 1M) + 0.0000166667 (0.06 R - 400,000) = 15.184.
    server = server_monthly_cost(0.0208)
    expected = (server + 0.2 + 400_000 * 0.0000166667) / (0.2e-6 + 0.06 * 0.0000166667)
    assert crossover_requests(120, 512, server) == pytest.approx(expected)
    without = crossover_requests(120, 512, server, free_tier=False)
    assert without < expected
    assert crossover_requests(120, 512, 0) == 0


def test_crossover_arm_and_cold_starts():
    x86 = crossover_requests(200, 1024, 50)
    assert crossover_requests(200, 1024, 50, architecture="arm64") > x86
    assert crossover_requests(200, 1024, 50, cold_start_rate=0.1, init_duration_ms=500) < x86
