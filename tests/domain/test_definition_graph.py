"""Definitions drawn as Mermaid flowcharts: exact for a small one, complete for a large one."""

from __future__ import annotations

import re
from textwrap import dedent

from domain.definitions.graph import mermaid
from domain.definitions.parser import parse
from domain.definitions.validate import iter_steps
from tests.domain.test_definition_parser import ACTIVITIES, FULL

SMALL = dedent(
    """\
    name: small
    version: 1
    steps:
      - id: check
        type: switch
        cases:
          - when: '{{ input.currency == "EUR" and input.amount > 1000 }}'
            steps:
              - id: approve
                type: task
                title: Approve
                assignee: role:manager
                due: P1D
                on_timeout:
                  outcome: reject
        default:
          - id: auto-approve
            type: set
            vars: {approved: true}
      - id: charge
        type: activity
        call: demo.charge
      - id: end
        type: end
    """
)


def graph(source: str) -> str:
    return mermaid(parse(source, known_activities=ACTIVITIES).definition)


def test_a_small_definition_exactly():
    assert graph(SMALL) == dedent(
        """\
        flowchart TD
            start(("start"))
            s_check{"check: switch"}
            s_approve("approve: task<br/>role:manager")
            s_auto_approve["auto-approve: set"]
            s_charge["charge: activity<br/>demo.charge"]
            s_end["end: end"]
            finish(("end"))
            start --> s_check
            s_check -->|"input.currency == #quot;EUR#quot; and input.amoun…"| s_approve
            s_check -->|"default"| s_auto_approve
            s_approve --> s_charge
            s_approve -.->|"timeout"| s_charge
            s_auto_approve --> s_charge
            s_charge --> s_end
            s_end --> finish
        """
    )


def test_every_step_of_a_large_definition_appears():
    text = graph(FULL)
    definition = parse(FULL, known_activities=ACTIVITIES).definition
    for _, step in iter_steps(definition):
        node = "s_" + step.id.replace("-", "_")
        # a node line: its id, a shape bracket, then the label `id: type`
        assert re.search(rf'^ +{node}[\[({{]+"{step.id}: {step.type}', text, re.MULTILINE), step.id
    assert text == graph(FULL)  # deterministic


def test_the_control_flow_of_a_large_definition():
    lines = set(graph(FULL).splitlines())
    expected = {
        # a switch fans out on its cases and its default
        '    s_check_amount -->|"input.amount #gt; 10000"| s_board',
        '    s_check_amount -->|"default"| s_manager',
        # a task's on_timeout is a dashed branch
        '    s_board -.->|"timeout"| s_timed_out',
        # foreach is a subgraph holding its body
        '    subgraph g_documents ["for each doc"]',
        '        s_review["review: activity<br/>processes.create_task"]',
        '    s_documents -->|"each doc"| s_review',
        # try/catch: a dashed edge labelled with the error types; fail ends the process
        '    s_pay -.->|"PaymentDeclined"| s_declined',
        '    s_declined -->|"PaymentDeclined"| finish',
        # parallel branches fan out and join on `any`
        '    s_checks -->|"legal"| s_legal_wait',
        '    s_checks -->|"cooling-off"| s_cool',
        '    j_checks(("any"))',
        "    s_cool --> j_checks",
        "    s_legal_late --> j_checks",
        "    j_checks --> s_remember",
        # a wait's on_timeout is dashed too
        '    s_legal_wait -.->|"timeout"| s_legal_late',
        "    s_done --> finish",
    }
    assert expected <= lines


def test_node_ids_stay_distinct_after_sanitising():
    source = dedent(
        """\
        name: ids
        version: 1
        steps:
          - {id: a-b, type: set, vars: {x: 1}}
          - {id: a_b, type: set, vars: {x: 2}}
          - {id: finish, type: end}
        """
    )
    text = graph(source)
    assert 's_a_b["a-b: set"]' in text
    assert 's_a_b_2["a_b: set"]' in text
    assert "    s_a_b --> s_a_b_2" in text
    assert "    s_finish --> finish" in text


def test_a_conditional_end_continues():
    source = dedent(
        """\
        name: cond
        version: 1
        steps:
          - {id: early, type: end, when: "{{ input.skip }}"}
          - {id: work, type: activity, call: demo.charge}
        """
    )
    text = graph(source)
    assert '    s_early -->|"input.skip"| finish' in text
    assert "    s_early --> s_work" in text
    assert "    s_work --> finish" in text


def test_a_decide_step_names_its_table_and_pinned_version():
    source = dedent(
        """
        name: routed
        version: 1
        steps:
          - {id: route, type: decide, decision: approval-routing, context: {amount: 1, department: it}}
          - {id: pinned, type: decide, decision: discount, version: 2, context: {order: {}, customer: {}}}
        """
    )
    text = graph(source)
    assert 's_route["route: decide<br/>approval-routing"]' in text
    assert 's_pinned["pinned: decide<br/>discount v2"]' in text
