from evidence.catalog import control_ids, families, key_security_indicators, moderate


def test_the_moderate_baseline_has_its_323_controls_in_18_families():
    assert len(moderate()) == 323
    assert len(families()) == 18


def test_cdk_nag_control_lists_become_baseline_ids_and_drop_what_moderate_lacks():
    text = "... - (Control IDs: AC-4, AC-4(22), AC-17(2), CM-5(1)(b), PM-14a.1, SC-8, SC-13a)."
    # AC-4(22) is not in the Moderate baseline and PM controls are not in any FedRAMP baseline.
    assert control_ids(text) == ("ac-4", "ac-17.2", "cm-5.1", "sc-8", "sc-13")
    assert control_ids("... - (Control ID: AC-4(21)).") == ("ac-4.21",)
    assert control_ids("no control list here") == ()


def test_every_key_security_indicator_names_only_baseline_controls():
    indicators = key_security_indicators()
    assert len(indicators) == 60
    assert all(set(k.controls) <= set(moderate()) for k in indicators)
