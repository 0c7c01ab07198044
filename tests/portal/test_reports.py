"""The reports page: Northwind's governance member generates a report; Contoso's downloads its
PDF, acknowledges it, and verifies the file (and a changed copy is refused)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from playwright.async_api import expect
from pypdf import PdfReader

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import live_updates_on, open_signed_in, workspace_url

pytestmark = pytest.mark.browser


async def test_northwind_generates_a_report_and_contoso_downloads_acknowledges_and_verifies_it(
    new_page: NewPage, world: World, tmp_path: Path
) -> None:
    # given Contoso's governance member on the reports page, live, and Northwind's
    contoso = await new_page()
    await open_signed_in(
        contoso, "governance@contoso.example", workspace_url(world.nc_id, "reports")
    )
    await live_updates_on(contoso)
    northwind = await new_page()
    await open_signed_in(
        northwind, "governance@northwind.example", workspace_url(world.nc_id, "reports")
    )
    await expect(northwind.get_by_text("No reports yet")).to_be_visible()

    # when they generate a report
    form = northwind.locator("#generate-report")
    await form.get_by_label("Title (optional)").fill("Recovery report, December")
    await form.get_by_role("button", name="Generate report").click()

    # then it is listed, waiting for Contoso
    await expect(
        northwind.get_by_text(re.compile(r"Report “Recovery report, December” generated"))
    ).to_be_visible()
    row = northwind.get_by_role("row", name=re.compile("Recovery report, December"))
    await expect(row.get_by_text("Waiting for the other side")).to_be_visible()
    await expect(row.get_by_role("button", name=re.compile("Acknowledge"))).to_have_count(0)

    # when Contoso's page shows it (live, without a reload) and they download the PDF
    await expect(contoso.get_by_text(re.compile("just changed the reports"))).to_be_visible()
    row = contoso.get_by_role("row", name=re.compile("Recovery report, December"))
    async with contoso.expect_download() as info:
        await row.get_by_role("link", name=re.compile("Download the PDF")).click()
    download = await info.value
    pdf = tmp_path / "report.pdf"
    await download.save_as(pdf)
    reader = PdfReader(pdf)
    hashes = {
        m
        for page in reader.pages
        for m in re.findall(r"sha256 ([0-9a-f]{64})", page.extract_text())
    }
    assert len(hashes) == 1
    (sha,) = hashes
    await expect(row.locator("code.hash")).to_have_attribute("title", sha)
    # and the CSV files, one per section, zipped
    async with contoso.expect_download() as info:
        await row.get_by_role(
            "link", name="Download the CSV files of Recovery report, December"
        ).click()
    archive = tmp_path / "report.zip"
    await (await info.value).save_as(archive)
    with zipfile.ZipFile(archive) as zipped:
        assert any(n.endswith("risks.csv") for n in zipped.namelist()), zipped.namelist()

    # and acknowledges it
    await row.get_by_role("button", name="Acknowledge Recovery report, December").click()
    await expect(
        contoso.get_by_text(re.compile("You acknowledged “Recovery report, December”"))
    ).to_be_visible()
    row = contoso.get_by_role("row", name=re.compile("Recovery report, December"))
    await expect(
        row.get_by_text(re.compile(r"Acknowledged by Governance \(Contoso\)"))
    ).to_be_visible()

    # and verifies the downloaded file
    verify = contoso.locator("#verify-report")
    await verify.get_by_label("Report file (PDF or JSON)").set_input_files(pdf)
    await verify.get_by_role("button", name="Verify").click()
    outcome = verify.get_by_role("status")
    await expect(outcome).to_contain_text("Verified.")
    await expect(outcome).to_contain_text("“Recovery report, December”")
    await expect(outcome).to_contain_text(sha)

    # and a changed copy is refused
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(pdf.read_bytes() + b"\n%edited\n")
    await verify.get_by_label("Report file (PDF or JSON)").set_input_files(changed)
    await verify.get_by_role("button", name="Verify").click()
    await expect(
        verify.get_by_role("alert").filter(has_text="Changed since it was generated")
    ).to_be_visible()

    # and Northwind sees the receipt
    await northwind.reload()
    row = northwind.get_by_role("row", name=re.compile("Recovery report, December"))
    await expect(
        row.get_by_text(re.compile(r"Acknowledged by Governance \(Contoso\)"))
    ).to_be_visible()
