namespace CommunityFunnel.Storage.Sqlite;

/// <summary>
/// The SQLite schema, as versioned migrations (see docs/stores.md). Never edit a released migration: add one.
/// Instants are UTC ticks (100 ns since 0001-01-01) with the original offset in minutes where it is kept.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE TABLE cf_members (
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            state INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (group_id, member_id)
        ) WITHOUT ROWID;

        CREATE TABLE cf_member_transitions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            from_state INTEGER NULL,
            to_state INTEGER NOT NULL,
            trigger_id TEXT NOT NULL,
            at_ticks INTEGER NOT NULL,
            at_offset INTEGER NOT NULL
        );
        CREATE INDEX cf_member_transitions_member ON cf_member_transitions (group_id, member_id, seq);
        CREATE TRIGGER cf_member_transitions_no_update BEFORE UPDATE ON cf_member_transitions
        BEGIN SELECT RAISE(ABORT, 'cf_member_transitions is append-only'); END;
        CREATE TRIGGER cf_member_transitions_no_delete BEFORE DELETE ON cf_member_transitions
        BEGIN SELECT RAISE(ABORT, 'cf_member_transitions is append-only'); END;

        CREATE TABLE cf_reward_ledger (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            entry_key TEXT NOT NULL UNIQUE,
            kind INTEGER NOT NULL CHECK (kind IN (0, 1)),
            rule_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            at_ticks INTEGER NOT NULL,
            at_offset INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            rewards TEXT NOT NULL,
            counters TEXT NOT NULL,
            expires_ticks INTEGER NULL,
            expires_offset INTEGER NULL,
            reverses TEXT NULL UNIQUE REFERENCES cf_reward_ledger (entry_key),
            CHECK ((kind = 0 AND reverses IS NULL) OR (kind = 1 AND reverses IS NOT NULL))
        );
        CREATE TRIGGER cf_reward_ledger_no_update BEFORE UPDATE ON cf_reward_ledger
        BEGIN SELECT RAISE(ABORT, 'cf_reward_ledger is append-only'); END;
        CREATE TRIGGER cf_reward_ledger_no_delete BEFORE DELETE ON cf_reward_ledger
        BEGIN SELECT RAISE(ABORT, 'cf_reward_ledger is append-only'); END;

        CREATE TABLE cf_reward_counters (
            counter_key TEXT PRIMARY KEY,
            used INTEGER NOT NULL CHECK (used >= 0)
        ) WITHOUT ROWID;

        CREATE TABLE cf_draws (
            draw_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL CHECK (version >= 1),
            state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 4),
            definition TEXT NOT NULL,
            commitment TEXT NOT NULL,
            created_ticks INTEGER NOT NULL,
            closed_ticks INTEGER NULL,
            entry_count INTEGER NOT NULL,
            total_weight INTEGER NOT NULL,
            entries_root TEXT NULL,
            public_entropy TEXT NULL,
            entropy_ticks INTEGER NULL,
            proof TEXT NULL,
            live_entries INTEGER NOT NULL DEFAULT 0 CHECK (live_entries >= 0),
            live_weight INTEGER NOT NULL DEFAULT 0 CHECK (live_weight >= 0)
        ) WITHOUT ROWID;
        CREATE TRIGGER cf_draws_forward_only BEFORE UPDATE OF state ON cf_draws WHEN NEW.state < OLD.state
        BEGIN SELECT RAISE(ABORT, 'a draw''s state only moves forward'); END;
        CREATE TRIGGER cf_draws_root_fixed BEFORE UPDATE ON cf_draws
        WHEN OLD.entries_root IS NOT NULL AND (NEW.entries_root IS NOT OLD.entries_root
            OR NEW.entry_count <> OLD.entry_count OR NEW.total_weight <> OLD.total_weight)
        BEGIN SELECT RAISE(ABORT, 'a draw''s published entries root never changes'); END;
        CREATE TRIGGER cf_draws_no_delete BEFORE DELETE ON cf_draws
        BEGIN SELECT RAISE(ABORT, 'draws are never deleted'); END;

        CREATE TABLE cf_draw_entries (
            draw_id TEXT NOT NULL REFERENCES cf_draws (draw_id),
            entry_id TEXT NOT NULL,
            tickets INTEGER NOT NULL CHECK (tickets >= 1),
            PRIMARY KEY (draw_id, entry_id)
        ) WITHOUT ROWID;
        CREATE TRIGGER cf_draw_entries_open_insert BEFORE INSERT ON cf_draw_entries
        WHEN (SELECT state FROM cf_draws WHERE draw_id = NEW.draw_id) IS NOT 1
        BEGIN SELECT RAISE(ABORT, 'entries change only while the draw is open'); END;
        CREATE TRIGGER cf_draw_entries_open_update BEFORE UPDATE ON cf_draw_entries
        WHEN (SELECT state FROM cf_draws WHERE draw_id = OLD.draw_id) IS NOT 1
        BEGIN SELECT RAISE(ABORT, 'entries change only while the draw is open'); END;
        CREATE TRIGGER cf_draw_entries_open_delete BEFORE DELETE ON cf_draw_entries
        WHEN (SELECT state FROM cf_draws WHERE draw_id = OLD.draw_id) IS NOT 1
        BEGIN SELECT RAISE(ABORT, 'entries change only while the draw is open'); END;

        CREATE TABLE cf_draw_results (
            draw_id TEXT PRIMARY KEY REFERENCES cf_draws (draw_id),
            server_seed TEXT NOT NULL,
            public_entropy TEXT NOT NULL,
            entries_root TEXT NOT NULL,
            winners TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TRIGGER cf_draw_results_no_update BEFORE UPDATE ON cf_draw_results
        BEGIN SELECT RAISE(ABORT, 'a draw has exactly one result'); END;
        CREATE TRIGGER cf_draw_results_no_delete BEFORE DELETE ON cf_draw_results
        BEGIN SELECT RAISE(ABORT, 'a draw has exactly one result'); END;

        CREATE TABLE cf_draw_secrets (
            draw_id TEXT PRIMARY KEY,
            seed BLOB NOT NULL CHECK (length(seed) > 0)
        ) WITHOUT ROWID;
        CREATE TRIGGER cf_draw_secrets_no_update BEFORE UPDATE ON cf_draw_secrets
        BEGIN SELECT RAISE(ABORT, 'a seed is never replaced'); END;
        """,
        """
        CREATE TABLE cf_reward_members (
            member_id TEXT PRIMARY KEY,
            state INTEGER NOT NULL,
            first_joined_ticks INTEGER NULL,
            first_joined_offset INTEGER NULL,
            channel TEXT NULL,
            role INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        ALTER TABLE cf_draws ADD COLUMN drand_chain TEXT NULL;
        ALTER TABLE cf_draws ADD COLUMN drand_round INTEGER NULL CHECK (drand_round >= 1);
        ALTER TABLE cf_draws ADD COLUMN drand_signature TEXT NULL;
        CREATE TRIGGER cf_draws_drand_round_fixed BEFORE UPDATE ON cf_draws
        WHEN NEW.drand_chain IS NOT OLD.drand_chain OR NEW.drand_round IS NOT OLD.drand_round
        BEGIN SELECT RAISE(ABORT, 'the drand round a draw named at its creation never changes'); END;
        """,
        """
        CREATE TABLE cf_coupons (
            code TEXT PRIMARY KEY,
            grant_key TEXT NOT NULL UNIQUE,
            rule_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            terms TEXT NOT NULL,
            issued_ticks INTEGER NOT NULL,
            issued_offset INTEGER NOT NULL,
            expires_ticks INTEGER NULL,
            expires_offset INTEGER NULL,
            usage_limit INTEGER NOT NULL CHECK (usage_limit >= 1)
        ) WITHOUT ROWID;
        CREATE TRIGGER cf_coupons_no_update BEFORE UPDATE ON cf_coupons
        BEGIN SELECT RAISE(ABORT, 'an issued coupon never changes'); END;
        CREATE TRIGGER cf_coupons_no_delete BEFORE DELETE ON cf_coupons
        BEGIN SELECT RAISE(ABORT, 'an issued coupon is never deleted'); END;

        CREATE TABLE cf_coupon_uses (
            code TEXT NOT NULL REFERENCES cf_coupons (code),
            order_id TEXT NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 0),
            state INTEGER NOT NULL CHECK (state IN (0, 1, 2)),
            at_ticks INTEGER NOT NULL,
            at_offset INTEGER NOT NULL,
            until_ticks INTEGER NULL,
            until_offset INTEGER NULL,
            order_amount INTEGER NOT NULL,
            discount INTEGER NOT NULL,
            PRIMARY KEY (code, order_id),
            UNIQUE (code, seq)
        ) WITHOUT ROWID;
        CREATE TRIGGER cf_coupon_uses_rollback_final BEFORE UPDATE ON cf_coupon_uses WHEN OLD.state = 2
        BEGIN SELECT RAISE(ABORT, 'a rolled-back use never changes'); END;
        CREATE TRIGGER cf_coupon_uses_no_delete BEFORE DELETE ON cf_coupon_uses
        BEGIN SELECT RAISE(ABORT, 'coupon uses are never deleted'); END;

        CREATE TABLE cf_coupon_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            code TEXT NOT NULL REFERENCES cf_coupons (code),
            action INTEGER NOT NULL CHECK (action BETWEEN 0 AND 3),
            order_id TEXT NULL,
            at_ticks INTEGER NOT NULL,
            at_offset INTEGER NOT NULL,
            amount INTEGER NOT NULL
        );
        CREATE INDEX cf_coupon_audit_code ON cf_coupon_audit (code, seq);
        CREATE TRIGGER cf_coupon_audit_no_update BEFORE UPDATE ON cf_coupon_audit
        BEGIN SELECT RAISE(ABORT, 'cf_coupon_audit is append-only'); END;
        CREATE TRIGGER cf_coupon_audit_no_delete BEFORE DELETE ON cf_coupon_audit
        BEGIN SELECT RAISE(ABORT, 'cf_coupon_audit is append-only'); END;
        """,
        // 5: the event log (CommunityFunnel.Hosting's IEventLogStore).
        """
        CREATE TABLE cf_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            group_id TEXT NOT NULL,
            at_ticks INTEGER NOT NULL,
            line TEXT NOT NULL
        );
        CREATE INDEX cf_events_at ON cf_events (at_ticks, seq);
        CREATE INDEX cf_events_group ON cf_events (group_id);
        CREATE TRIGGER cf_events_no_update BEFORE UPDATE ON cf_events
        BEGIN SELECT RAISE(ABORT, 'a stored event is never changed'); END;
        """,
        // 6: coupons that spend a money budget charged at redemption, and the budgets' lock rows.
        """
        ALTER TABLE cf_coupons ADD COLUMN budget_id TEXT NULL;
        CREATE INDEX cf_coupons_budget ON cf_coupons (budget_id) WHERE budget_id IS NOT NULL;
        CREATE TABLE cf_coupon_budgets (budget_id TEXT PRIMARY KEY) WITHOUT ROWID;
        """,
        // 7: the action outbox (member actions written with the state change that decided them).
        """
        CREATE TABLE cf_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            action TEXT NOT NULL,
            decided_ticks INTEGER NOT NULL,
            decided_offset INTEGER NOT NULL,
            state INTEGER NOT NULL CHECK (state IN (0, 1, 2)),
            attempts INTEGER NOT NULL CHECK (attempts >= 0),
            next_ticks INTEGER NOT NULL,
            next_offset INTEGER NOT NULL,
            last_error TEXT NULL,
            completed_ticks INTEGER NULL,
            completed_offset INTEGER NULL,
            lease_owner TEXT NULL,
            lease_until INTEGER NULL
        );
        CREATE INDEX cf_outbox_pending ON cf_outbox (next_ticks, seq) WHERE state = 0;
        CREATE INDEX cf_outbox_state ON cf_outbox (state, seq);
        """,
        // 8: the members' due-time index (the next deadline in its own column) and the lease of a claimed deadline.
        // Rows written before it get their deadline from the stored record, which SQLite parses to the millisecond:
        // rounded up by at most 2 ms, so a migrated deadline never fires early.
        """
        ALTER TABLE cf_members ADD COLUMN due_ticks INTEGER NULL;
        ALTER TABLE cf_members ADD COLUMN lease_owner TEXT NULL;
        ALTER TABLE cf_members ADD COLUMN lease_until INTEGER NULL;
        UPDATE cf_members
        SET due_ticks = CAST((julianday(json_extract(record, '$.NextDeadline')) - 1721425.5) * 864000000000.0 AS INTEGER) + 20000
        WHERE json_extract(record, '$.NextDeadline') IS NOT NULL;
        CREATE INDEX cf_members_due ON cf_members (due_ticks) WHERE due_ticks IS NOT NULL;
        """,
        // 9: the events stored but not applied yet (the intake marks them applied; an instance's crash leaves them here).
        """
        CREATE TABLE cf_events_unapplied (
            event_id TEXT PRIMARY KEY REFERENCES cf_events (event_id),
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            appended_ticks INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX cf_events_unapplied_appended ON cf_events_unapplied (appended_ticks);
        CREATE INDEX cf_events_unapplied_member ON cf_events_unapplied (group_id, member_id);
        """,
        // 10: the draws' due-time index (a draw's scheduled close in its own column; filled from the stored definitions,
        // rounded up as migration 8 rounds, so a migrated close is never early).
        """
        ALTER TABLE cf_draws ADD COLUMN closes_ticks INTEGER NULL;
        UPDATE cf_draws
        SET closes_ticks = CAST((julianday(json_extract(definition, '$.ClosesAt')) - 1721425.5) * 864000000000.0 AS INTEGER) + 20000
        WHERE json_extract(definition, '$.ClosesAt') IS NOT NULL;
        CREATE INDEX cf_draws_due ON cf_draws (closes_ticks) WHERE state = 1;
        CREATE INDEX cf_draws_undrawn ON cf_draws (state) WHERE state IN (2, 3);
        """,
        // 11: the online activation projection (IActivationStore): applied event ids, pairs, qualifying and order instants,
        // invite views, join rows.
        """
        CREATE TABLE cf_activation_settings (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            settings TEXT NOT NULL,
            duplicates INTEGER NOT NULL CHECK (duplicates >= 0)
        );
        CREATE TABLE cf_activation_events (event_id TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE cf_activation_pairs (
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            first_join_id TEXT NULL,
            first_join_ticks INTEGER NULL,
            PRIMARY KEY (group_id, member_id)
        ) WITHOUT ROWID;
        CREATE TABLE cf_activation_activity (
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            at_ticks INTEGER NOT NULL,
            PRIMARY KEY (group_id, member_id, at_ticks)
        ) WITHOUT ROWID;
        CREATE TABLE cf_activation_orders (
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            at_ticks INTEGER NOT NULL,
            PRIMARY KEY (group_id, member_id, at_ticks)
        ) WITHOUT ROWID;
        CREATE TABLE cf_activation_views (
            at_ticks INTEGER NOT NULL,
            group_id TEXT NOT NULL,
            visitor_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            PRIMARY KEY (at_ticks, group_id, visitor_id, channel)
        ) WITHOUT ROWID;
        CREATE TABLE cf_activation_joins (
            join_id TEXT PRIMARY KEY,
            group_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            join_ticks INTEGER NOT NULL,
            channel TEXT NOT NULL,
            excluded INTEGER NOT NULL CHECK (excluded IN (0, 1)),
            attribution INTEGER NOT NULL CHECK (attribution IN (0, 1, 2)),
            first_activity_ticks INTEGER NULL CHECK (first_activity_ticks >= join_ticks),
            first_order_ticks INTEGER NULL CHECK (first_order_ticks >= join_ticks),
            is_first INTEGER NOT NULL CHECK (is_first IN (0, 1))
        );
        CREATE INDEX cf_activation_joins_pair ON cf_activation_joins (group_id, member_id, join_ticks);
        CREATE INDEX cf_activation_joins_at ON cf_activation_joins (join_ticks);
        CREATE INDEX cf_activation_joins_first_at ON cf_activation_joins (join_ticks) WHERE is_first = 1;
        """,
        // 12: the outbox keeps campaign actions and grant notices too: what each row's action is ('member', 'campaign',
        // 'grant'; 'member' for the rows before it).
        """
        ALTER TABLE cf_outbox ADD COLUMN action_type TEXT NOT NULL DEFAULT 'member';
        """,
    ];
}
