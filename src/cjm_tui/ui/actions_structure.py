"""Stage, lane and emotion actions of the editor."""

from __future__ import annotations

from ..model import EMOTION_MAX, EMOTION_MIN, Lane, Stage, ops
from .textfit import literal


class StructureActions:
    """Mixed into CjmApp: emotions, stages and lanes (each change one undoable op)."""

    # -- emotion ---------------------------------------------------------------------------
    def _emotion(self, delta: int | None) -> None:
        sid = self.grid.current()[0]
        if sid is None:
            return
        stage = self.history.map.stage(sid)
        if delta is None:
            if stage.emotion is None:
                return
            new = None
        elif stage.emotion is None:
            new = max(EMOTION_MIN, min(EMOTION_MAX, delta))
        else:
            new = stage.emotion + delta
            if not EMOTION_MIN <= new <= EMOTION_MAX:
                self.notify(f"Emotion is already {stage.emotion:+d}, the end of the scale", timeout=2)
                return
        self.apply(ops.SetStageField(sid, "emotion", new))

    def do_emotion_up(self) -> None:
        self._emotion(1)

    def do_emotion_down(self) -> None:
        self._emotion(-1)

    def do_emotion_clear(self) -> None:
        self._emotion(None)

    def do_stage_feeling(self) -> None:
        sid = self.grid.current()[0]
        if sid:
            stage = self.history.map.stage(sid)
            self.ask(
                "Feeling:",
                stage.feeling or "",
                lambda v: v != (stage.feeling or "") and self.apply(ops.SetStageField(sid, "feeling", v or None)),
            )

    # -- stages ------------------------------------------------------------------------------
    def _add_stage(self, offset: int) -> None:
        m = self.history.map
        index = min(len(m.stages), self.grid.cursor.stage + offset) if m.stages else 0

        def done(name: str) -> None:
            name = name.strip()
            if name:
                self.apply(ops.AddStage(index, Stage(m.new_stage_id(name), name)))

        self.ask("New stage name:", "", done)

    def do_add_stage(self) -> None:
        self._add_stage(1)

    def do_add_stage_before(self) -> None:
        self._add_stage(0)

    def do_rename_stage(self) -> None:
        sid = self.grid.current()[0]
        if sid:
            stage = self.history.map.stage(sid)
            self.ask(
                "Rename stage:",
                stage.name,
                lambda v: v.strip() and v.strip() != stage.name and self.apply(ops.RenameStage(sid, v.strip())),
            )

    def do_delete_stage(self) -> None:
        sid = self.grid.current()[0]
        if sid:
            name = self.history.map.stage(sid).name
            if self.apply(ops.DeleteStage(sid)):
                self.notify(f"Stage {literal(name)} deleted (u to undo)")

    def _move_stage(self, delta: int) -> None:
        sid = self.grid.current()[0]
        if sid:
            target = self.grid.cursor.stage + delta
            if 0 <= target < len(self.history.map.stages):
                self.apply(ops.MoveStage(sid, target))
            else:
                self.notify(f"Already the {'first' if delta < 0 else 'last'} stage", timeout=2)

    def do_move_stage_left(self) -> None:
        self._move_stage(-1)

    def do_move_stage_right(self) -> None:
        self._move_stage(1)

    def do_stage_question(self) -> None:
        sid = self.grid.current()[0]
        if sid:
            stage = self.history.map.stage(sid)
            self.ask(
                "Stage question:",
                stage.question or "",
                lambda v: v != (stage.question or "") and self.apply(ops.SetStageField(sid, "question", v or None)),
            )

    # -- lanes ---------------------------------------------------------------------------------
    def _lane_id(self) -> str | None:
        return self.grid.current()[1]

    def do_add_lane(self) -> None:
        m = self.history.map
        lid = self._lane_id()
        index = m.lane_index(lid) + 1 if lid else len(m.lanes)

        def done(name: str) -> None:
            name = name.strip()
            if name:
                self.apply(ops.AddLane(index, Lane(m.new_lane_id(name), name)))

        self.ask("New lane name:", "", done)

    def do_rename_lane(self) -> None:
        lid = self._lane_id()
        if lid:
            lane = self.history.map.lane(lid)
            self.ask(
                "Rename lane:",
                lane.name,
                lambda v: v.strip() and v.strip() != lane.name and self.apply(ops.RenameLane(lid, v.strip())),
            )

    def do_delete_lane(self) -> None:
        lid = self._lane_id()
        if lid:
            name = self.history.map.lane(lid).name
            if self.apply(ops.DeleteLane(lid)):
                self.notify(f"Lane {literal(name)} deleted (u to undo)")

    def _move_lane(self, delta: int) -> None:
        lid = self._lane_id()
        if lid:
            m = self.history.map
            # move past hidden lanes too: the target is the neighbouring visible lane's place
            visible = self.grid.lanes()
            vi = self.grid.cursor.lane + delta
            if 0 <= vi < len(visible):
                self.apply(ops.MoveLane(lid, m.lane_index(visible[vi].id)))
            else:
                self.notify(f"Already the {'top' if delta < 0 else 'bottom'} lane", timeout=2)

    def do_move_lane_up(self) -> None:
        self._move_lane(-1)

    def do_move_lane_down(self) -> None:
        self._move_lane(1)

    def do_hide_lane(self) -> None:
        lid = self._lane_id()
        if lid:
            if len(self.grid.lanes()) <= 1:
                self.notify("This is the only lane shown", severity="warning")
                return
            name = self.history.map.lane(lid).name
            if self.apply(ops.SetLaneField(lid, "hidden", True)):
                self.notify(f"Lane {literal(name)} hidden (r s shows hidden lanes)")

    def do_show_lanes(self) -> None:
        hidden = [lane for lane in self.history.map.lanes if lane.hidden]
        if not hidden:
            self.notify("No lanes are hidden")
            return
        self.apply(ops.Batch([ops.SetLaneField(lane.id, "hidden", False) for lane in hidden], "show lanes"))

    def do_lane_question(self) -> None:
        lid = self._lane_id()
        if lid:
            lane = self.history.map.lane(lid)
            self.ask(
                "Lane question:",
                lane.question or "",
                lambda v: v != (lane.question or "") and self.apply(ops.SetLaneField(lid, "question", v or None)),
            )
