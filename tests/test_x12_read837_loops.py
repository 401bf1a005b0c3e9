"""The 837 read-back finds values by loop: a COB loop's names are another payer's, not ours.

An 837 may carry several claims under one subscriber (HL 22), and a claim sent to a second
payer carries the first payer's subscriber and payer in 2330A/2330B (NM1*IL, NM1*PR) after
the claim. Those must not be taken for the subscriber or payer of the claims that follow.
"""

from __future__ import annotations

from medsheets.x12.read837 import read_837p

NPI = "1982045761"


def _interchange(body: list[str]) -> str:
    segments = ["ST*837*0001*005010X222A1", *body, f"SE*{len(body) + 2}*0001"]
    return ("ISA*00*          *00*          *ZZ*MAPLE01        *ZZ*CLEARHOUSE01   *261127*1030*^*"
            "00501*000000001*0*T*:~GS*HC*MAPLE01*CLEARHOUSE01*20261127*1030*1*X*005010X222A1~"
            + "".join(f"{s}~" for s in segments) + "GE*1*1~IEA*1*000000001~")


def _claim(claim_id: str, *cob: str) -> list[str]:
    return [f"CLM*{claim_id}*100***11:B:1*Y*A*Y*Y", "HI*ABK:E119", *cob, "LX*1",
            "SV1*HC:99213*100*UN*1***1", "DTP*472*D8*20261120", f"REF*6R*{claim_id}-1"]


def test_claims_after_a_cob_loop_keep_their_own_subscriber_and_payer() -> None:
    body = ["BHT*0019*00*1*20261127*1030*CH", "NM1*41*2*MAPLE*****46*MAPLE01", "PER*IC*EDI*TE*8005550100",
            "NM1*40*2*CLEARHOUSE*****46*CLEARHOUSE01", "HL*1**20*1", f"NM1*85*2*MAPLE*****XX*{NPI}",
            "N3*1 MAIN ST", "N4*SPRINGFIELD*IL*62701", "REF*EI*123456789", "HL*2*1*22*0",
            "SBR*S*18*******MB", "NM1*IL*1*DOE*JANE****MI*MEMBER1", "NM1*PR*2*MEDICARE*****PI*MCR01",
            *_claim("E1", "SBR*P*18*******CI", "OI***Y***Y", "NM1*IL*1*DOE*JOHN****MI*OTHERMEMBER",
                    "NM1*PR*2*FIRST PAYER*****PI*FIRSTPAYER"),
            *_claim("E2")]
    claims = read_837p(_interchange(body), "cob.837")
    assert [(c.claim_id, c.payer_id, c.member_id, c.claim_filing) for c in claims] == [
        ("E1", "MCR01", "MEMBER1", "MB"), ("E2", "MCR01", "MEMBER1", "MB")]
    assert claims[1].subscriber_name == ("DOE", "JANE")
