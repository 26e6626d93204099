namespace CommunityFunnel.Storage.PostgreSql;

/// <summary>
/// The PostgreSQL schema, as versioned migrations (see docs/stores.md). Never edit a released migration: add one.
/// Instants are UTC ticks (100 ns since 0001-01-01) with the original offset in minutes where it is kept.
/// </summary>
internal static class PostgreSqlMigrations
{
    public static IReadOnlyList<string> All { get; } =
    [
        """
        CREATE FUNCTION cf_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '%: %', TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
        END $$;

        CREATE TABLE cf_members (
            group_id text NOT NULL,
            member_id text NOT NULL,
            version bigint NOT NULL CHECK (version >= 1),
            state bigint NOT NULL,
            record text NOT NULL,
            PRIMARY KEY (group_id, member_id)
        );

        CREATE TABLE cf_member_transitions (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            group_id text NOT NULL,
            member_id text NOT NULL,
            from_state bigint NULL,
            to_state bigint NOT NULL,
            trigger_id text NOT NULL,
            at_ticks bigint NOT NULL,
            at_offset bigint NOT NULL
        );
        CREATE INDEX cf_member_transitions_member ON cf_member_transitions (group_id, member_id, seq);
        CREATE TRIGGER cf_member_transitions_append_only BEFORE UPDATE OR DELETE ON cf_member_transitions
            FOR EACH ROW EXECUTE FUNCTION cf_refuse_change('append-only');

        CREATE TABLE cf_reward_ledger (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            entry_key text NOT NULL UNIQUE,
            kind bigint NOT NULL CHECK (kind IN (0, 1)),
            rule_id text NOT NULL,
            member_id text NOT NULL,
            at_ticks bigint NOT NULL,
            at_offset bigint NOT NULL,
            event_id text NOT NULL,
            rewards text NOT NULL,
            counters text NOT NULL,
            expires_ticks bigint NULL,
            expires_offset bigint NULL,
            reverses text NULL UNIQUE REFERENCES cf_reward_ledger (entry_key),
            CHECK ((kind = 0 AND reverses IS NULL) OR (kind = 1 AND reverses IS NOT NULL))
        );
        CREATE TRIGGER cf_reward_ledger_append_only BEFORE UPDATE OR DELETE ON cf_reward_ledger
            FOR EACH ROW EXECUTE FUNCTION cf_refuse_change('append-only');

        CREATE TABLE cf_reward_counters (
            counter_key text PRIMARY KEY,
            used bigint NOT NULL CHECK (used >= 0)
        );

        CREATE TABLE cf_draws (
            draw_id text PRIMARY KEY,
            version bigint NOT NULL CHECK (version >= 1),
            state bigint NOT NULL CHECK (state BETWEEN 0 AND 4),
            definition text NOT NULL,
            commitment text NOT NULL,
            created_ticks bigint NOT NULL,
            closed_ticks bigint NULL,
            entry_count bigint NOT NULL,
            total_weight bigint NOT NULL,
            entries_root text NULL,
            public_entropy text NULL,
            entropy_ticks bigint NULL,
            proof text NULL,
            live_entries bigint NOT NULL DEFAULT 0 CHECK (live_entries >= 0),
            live_weight bigint NOT NULL DEFAULT 0 CHECK (live_weight >= 0)
        );
        CREATE FUNCTION cf_draws_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.state < OLD.state THEN
                RAISE EXCEPTION 'draw %: the state only moves forward (% to %)', OLD.draw_id, OLD.state, NEW.state
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF OLD.entries_root IS NOT NULL AND (NEW.entries_root IS DISTINCT FROM OLD.entries_root
                OR NEW.entry_count <> OLD.entry_count OR NEW.total_weight <> OLD.total_weight) THEN
                RAISE EXCEPTION 'draw %: the published entries root never changes', OLD.draw_id
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER cf_draws_guard BEFORE UPDATE ON cf_draws FOR EACH ROW EXECUTE FUNCTION cf_draws_guard();
        CREATE TRIGGER cf_draws_no_delete BEFORE DELETE ON cf_draws
            FOR EACH ROW EXECUTE FUNCTION cf_refuse_change('draws are never deleted');

        CREATE TABLE cf_draw_entries (
            draw_id text NOT NULL REFERENCES cf_draws (draw_id),
            entry_id text NOT NULL,
            tickets bigint NOT NULL CHECK (tickets >= 1),
            PRIMARY KEY (draw_id, entry_id)
        );
        CREATE FUNCTION cf_draw_entries_open_only() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            d text;
            s bigint;
        BEGIN
            IF TG_OP = 'DELETE' THEN d := OLD.draw_id; ELSE d := NEW.draw_id; END IF;
            SELECT state INTO s FROM cf_draws WHERE draw_id = d;
            IF s IS DISTINCT FROM 1 THEN
                RAISE EXCEPTION 'draw %: entries change only while the draw is open', d
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER cf_draw_entries_open_only BEFORE INSERT OR UPDATE OR DELETE ON cf_draw_entries
            FOR EACH ROW EXECUTE FUNCTION cf_draw_entries_open_only();

        CREATE TABLE cf_draw_results (
            draw_id text PRIMARY KEY REFERENCES cf_draws (draw_id),
            server_seed text NOT NULL,
            public_entropy text NOT NULL,
            entries_root text NOT NULL,
            winners text NOT NULL
        );
        CREATE TRIGGER cf_draw_results_once BEFORE UPDATE OR DELETE ON cf_draw_results
            FOR EACH ROW EXECUTE FUNCTION cf_refuse_change('a draw has exactly one result');

        CREATE TABLE cf_draw_secrets (
            draw_id text PRIMARY KEY,
            seed bytea NOT NULL CHECK (length(seed) > 0)
        );
        CREATE TRIGGER cf_draw_secrets_never_replaced BEFORE UPDATE ON cf_draw_secrets
            FOR EACH ROW EXECUTE FUNCTION cf_refuse_change('a seed is never replaced');
        """,
        """
        CREATE TABLE cf_reward_members (
            member_id text PRIMARY KEY,
            state bigint NOT NULL,
            first_joined_ticks bigint NULL,
            first_joined_offset bigint NULL,
            channel text NULL,
            role bigint NOT NULL
        );
        """,
        """
        ALTER TABLE cf_draws ADD COLUMN drand_chain text NULL;
        ALTER TABLE cf_draws ADD COLUMN drand_round bigint NULL CHECK (drand_round >= 1);
        ALTER TABLE cf_draws ADD COLUMN drand_signature text NULL;
        CREATE FUNCTION cf_draws_drand_round_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.drand_chain IS DISTINCT FROM OLD.drand_chain OR NEW.drand_round IS DISTINCT FROM OLD.drand_round THEN
                RAISE EXCEPTION 'draw %: the drand round named at its creation never changes', OLD.draw_id
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER cf_draws_drand_round_fixed BEFORE UPDATE ON cf_draws
            FOR EACH ROW EXECUTE FUNCTION cf_draws_drand_round_fixed();
        """,
        """
        CREATE TABLE cf_coupons (
            code text PRIMARY KEY,
            grant_key text NOT NULL UNIQUE,
            rule_id text NOT NULL,
            member_id text NOT NULL,
            terms text NOT NULL,
            issued_ticks bigint NOT NULL,
            issued_offset bigint NOT NULL,
            expires_ticks bigint NULL,
            expires_offset bigint NULL,
            usage_limit bigint NOT NULL CHECK (usage_limit >= 1)
        );
        CREATE TRIGGER cf_coupons_never_changed BEFORE UPDATE OR DELETE ON cf_coupons
            FOR EACH ROW EXECUTE FUNCTION cf_refuse_change('an issued coupon never changes');

        CREATE TABLE cf_coupon_uses (
            code text NOT NULL REFERENCES cf_coupons (code),
            order_id text NOT NULL,
            seq bigint NOT NULL CHECK (seq >= 0),
            state bigint NOT NULL CHECK (state IN (0, 1, 2)),
            at_ticks bigint NOT NULL,
            at_offset bigint NOT NULL,
            until_ticks bigint NULL,
            until_offset bigint NULL,
            order_amount bigint NOT NULL,
            discount bigint NOT NULL,
            PRIMARY KEY (code, order_id),
            UNIQUE (code, seq)
        );
        CREATE TRIGGER cf_coupon_uses_rollback_final BEFORE UPDATE ON cf_coupon_uses
            FOR EACH ROW WHEN (OLD.state = 2) EXECUTE FUNCTION cf_refuse_change('a rolled-back use never changes');
        CREATE TRIGGER cf_coupon_uses_no_delete BEFORE DELETE ON cf_coupon_uses
            FOR EACH ROW EXECUTE FUNCTION cf_refuse_change('coupon uses are never deleted');

        CREATE TABLE cf_coupon_audit (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            code text NOT NULL REFERENCES cf_coupons (code),
            action bigint NOT NULL CHECK (action BETWEEN 0 AND 3),
            order_id text NULL,
            at_ticks bigint NOT NULL,
            at_offset bigint NOT NULL,
            amount bigint NOT NULL
        );
        CREATE INDEX cf_coupon_audit_code ON cf_coupon_audit (code, seq);
        CREATE TRIGGER cf_coupon_audit_append_only BEFORE UPDATE OR DELETE ON cf_coupon_audit
            FOR EACH ROW EXECUTE FUNCTION cf_refuse_change('append-only');
        """,
        // 5: the event log (CommunityFunnel.Hosting's IEventLogStore).
        """
        CREATE TABLE cf_events (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            group_id TEXT NOT NULL,
            at_ticks BIGINT NOT NULL,
            line TEXT NOT NULL
        );
        CREATE INDEX cf_events_at ON cf_events (at_ticks, seq);
        CREATE INDEX cf_events_group ON cf_events (group_id);
        """,
        // 6: coupons that spend a money budget charged at redemption, and the budgets' lock rows.
        """
        ALTER TABLE cf_coupons ADD COLUMN budget_id text NULL;
        CREATE INDEX cf_coupons_budget ON cf_coupons (budget_id) WHERE budget_id IS NOT NULL;
        CREATE TABLE cf_coupon_budgets (budget_id text PRIMARY KEY);
        """,
        // 7: the action outbox (member actions written with the state change that decided them).
        """
        CREATE TABLE cf_outbox (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            group_id text NOT NULL,
            member_id text NOT NULL,
            action text NOT NULL,
            decided_ticks bigint NOT NULL,
            decided_offset bigint NOT NULL,
            state bigint NOT NULL CHECK (state IN (0, 1, 2)),
            attempts bigint NOT NULL CHECK (attempts >= 0),
            next_ticks bigint NOT NULL,
            next_offset bigint NOT NULL,
            last_error text NULL,
            completed_ticks bigint NULL,
            completed_offset bigint NULL,
            lease_owner text NULL,
            lease_until bigint NULL
        );
        CREATE INDEX cf_outbox_pending ON cf_outbox (next_ticks, seq) WHERE state = 0;
        CREATE INDEX cf_outbox_state ON cf_outbox (state, seq);
        """,
        // 8: the members' due-time index (the next deadline in its own column) and the lease of a claimed deadline.
        // Rows written before it get their deadline from the stored record, to the microsecond: rounded up by at most
        // 2 microseconds, so a migrated deadline never fires early.
        """
        ALTER TABLE cf_members ADD COLUMN due_ticks bigint NULL;
        ALTER TABLE cf_members ADD COLUMN lease_owner text NULL;
        ALTER TABLE cf_members ADD COLUMN lease_until bigint NULL;
        UPDATE cf_members
        SET due_ticks = 621355968000000000 + floor(extract(epoch FROM (record::jsonb ->> 'NextDeadline')::timestamptz) * 10000000)::bigint + 20
        WHERE record::jsonb ->> 'NextDeadline' IS NOT NULL;
        CREATE INDEX cf_members_due ON cf_members (due_ticks) WHERE due_ticks IS NOT NULL;
        """,
        // 9: the events stored but not applied yet (the intake marks them applied; an instance's crash leaves them here).
        """
        CREATE TABLE cf_events_unapplied (
            event_id text PRIMARY KEY REFERENCES cf_events (event_id),
            group_id text NOT NULL,
            member_id text NOT NULL,
            appended_ticks bigint NOT NULL
        );
        CREATE INDEX cf_events_unapplied_appended ON cf_events_unapplied (appended_ticks);
        CREATE INDEX cf_events_unapplied_member ON cf_events_unapplied (group_id, member_id);
        """,
        // 10: the draws' due-time index (a draw's scheduled close in its own column; filled from the stored definitions,
        // rounded up as migration 8 rounds, so a migrated close is never early).
        """
        ALTER TABLE cf_draws ADD COLUMN closes_ticks bigint NULL;
        UPDATE cf_draws
        SET closes_ticks = 621355968000000000 + floor(extract(epoch FROM (definition::jsonb ->> 'ClosesAt')::timestamptz) * 10000000)::bigint + 20
        WHERE definition::jsonb ->> 'ClosesAt' IS NOT NULL;
        CREATE INDEX cf_draws_due ON cf_draws (closes_ticks) WHERE state = 1;
        CREATE INDEX cf_draws_undrawn ON cf_draws (state) WHERE state IN (2, 3);
        """,
        // 11: the online activation projection (IActivationStore): applied event ids, pairs, qualifying and order instants,
        // invite views, join rows.
        """
        CREATE TABLE cf_activation_settings (
            id bigint PRIMARY KEY CHECK (id = 1),
            settings text NOT NULL,
            duplicates bigint NOT NULL CHECK (duplicates >= 0)
        );
        CREATE TABLE cf_activation_events (event_id text PRIMARY KEY);
        CREATE TABLE cf_activation_pairs (
            group_id text NOT NULL,
            member_id text NOT NULL,
            first_join_id text NULL,
            first_join_ticks bigint NULL,
            PRIMARY KEY (group_id, member_id)
        );
        CREATE TABLE cf_activation_activity (
            group_id text NOT NULL,
            member_id text NOT NULL,
            at_ticks bigint NOT NULL,
            PRIMARY KEY (group_id, member_id, at_ticks)
        );
        CREATE TABLE cf_activation_orders (
            group_id text NOT NULL,
            member_id text NOT NULL,
            at_ticks bigint NOT NULL,
            PRIMARY KEY (group_id, member_id, at_ticks)
        );
        CREATE TABLE cf_activation_views (
            at_ticks bigint NOT NULL,
            group_id text NOT NULL,
            visitor_id text NOT NULL,
            channel text NOT NULL,
            PRIMARY KEY (at_ticks, group_id, visitor_id, channel)
        );
        CREATE TABLE cf_activation_joins (
            join_id text PRIMARY KEY,
            group_id text NOT NULL,
            member_id text NOT NULL,
            join_ticks bigint NOT NULL,
            channel text NOT NULL,
            excluded bigint NOT NULL CHECK (excluded IN (0, 1)),
            attribution bigint NOT NULL CHECK (attribution IN (0, 1, 2)),
            first_activity_ticks bigint NULL CHECK (first_activity_ticks >= join_ticks),
            first_order_ticks bigint NULL CHECK (first_order_ticks >= join_ticks),
            is_first bigint NOT NULL CHECK (is_first IN (0, 1))
        );
        CREATE INDEX cf_activation_joins_pair ON cf_activation_joins (group_id, member_id, join_ticks);
        CREATE INDEX cf_activation_joins_at ON cf_activation_joins (join_ticks);
        CREATE INDEX cf_activation_joins_first_at ON cf_activation_joins (join_ticks) WHERE is_first = 1;
        """,
        // 12: the outbox keeps campaign actions and grant notices too: what each row's action is ('member', 'campaign',
        // 'grant'; 'member' for the rows before it).
        """
        ALTER TABLE cf_outbox ADD COLUMN action_type text NOT NULL DEFAULT 'member';
        """,
    ];
}
