// The one schema for both backends: only portable types (Text, Integer,
// BigInt, Double, Bool). Keep in step with migrations/{sqlite,postgres}.

diesel::table! {
    accounts (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        phone -> Nullable<Text>,
        role -> Text,
        created_at -> BigInt,
        lang -> Text,
        email_verified_at -> Nullable<BigInt>,
        identity_verified_at -> Nullable<BigInt>,
        identity_verified_by -> Nullable<Text>,
        suspended_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    api_tokens (token_hash) {
        token_hash -> Text,
        account_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    offers (id) {
        id -> Text,
        host_id -> Text,
        status -> Text,
        capacity -> Integer,
        accepted_places -> Integer,
        lat -> Double,
        lon -> Double,
        address -> Text,
        cell -> Text,
        cell_lat -> Double,
        cell_lon -> Double,
        available_from -> BigInt,
        available_until -> BigInt,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        notes -> Nullable<Text>,
        accessible -> Bool,
        pets_ok -> Bool,
        children_ok -> Bool,
        women_only -> Bool,
        languages -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        host_verified -> Bool,
        host_suspended -> Bool,
        hidden -> Bool,
        incident_id -> Nullable<Text>,
        host_seen_at -> Nullable<BigInt>,
        answers_accepted -> Integer,
        answers_declined -> Integer,
        holds_expired -> Integer,
        declines_in_row -> Integer,
        answer_ms_avg -> Nullable<BigInt>,
        paused_at -> Nullable<BigInt>,
        paused_reason -> Nullable<Text>,
    }
}

diesel::table! {
    requests (id) {
        id -> Text,
        access_token_hash -> Text,
        token_expires_at -> BigInt,
        status -> Text,
        lat -> Double,
        lon -> Double,
        cell -> Text,
        cell_lat -> Double,
        cell_lon -> Double,
        party_size -> Integer,
        name -> Text,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        need_accessible -> Bool,
        need_pets -> Bool,
        need_children -> Bool,
        need_women_only -> Bool,
        languages -> Text,
        notes -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        lang -> Text,
        trusted_email -> Nullable<Text>,
        trusted_notified_at -> Nullable<BigInt>,
        incident_id -> Nullable<Text>,
        findable_name -> Nullable<Text>,
        findable_key -> Nullable<Text>,
        auto_ask -> Bool,
    }
}

diesel::table! {
    matches (id) {
        id -> Text,
        request_id -> Text,
        offer_id -> Text,
        party_size -> Integer,
        status -> Text,
        proposed_by -> Text,
        guest_consent_at -> Nullable<BigInt>,
        host_consent_at -> Nullable<BigInt>,
        expires_at -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
        accepted_at -> Nullable<BigInt>,
        arrived_at -> Nullable<BigInt>,
        escalated_at -> Nullable<BigInt>,
        unsafe_at -> Nullable<BigInt>,
        review_required_at -> Nullable<BigInt>,
        approved_at -> Nullable<BigInt>,
        approved_by -> Nullable<Text>,
        on_behalf -> Bool,
        opened_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    reveals (id) {
        id -> Text,
        match_id -> Text,
        viewer_side -> Text,
        viewer_account_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::joinable!(api_tokens -> accounts (account_id));
diesel::joinable!(offers -> accounts (host_id));
diesel::joinable!(matches -> requests (request_id));
diesel::joinable!(matches -> offers (offer_id));
diesel::joinable!(reveals -> matches (match_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts, api_tokens, offers, requests, matches, reveals
);

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        account_id -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::joinable!(sessions -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(sessions, accounts);

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        recipient -> Text,
        lang -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        claim -> Nullable<Text>,
        claimed_until -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
        about -> Nullable<Text>,
        channel -> Text,
    }
}

diesel::table! {
    account_links (token_hash) {
        token_hash -> Text,
        account_id -> Text,
        purpose -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        target_kind -> Text,
        target_id -> Text,
        reason -> Text,
        details -> Nullable<Text>,
        reporter -> Text,
        created_at -> BigInt,
        reviewed_at -> Nullable<BigInt>,
        reviewed_by -> Nullable<Text>,
        outcome -> Nullable<Text>,
        standing -> Text,
        network -> Nullable<Text>,
    }
}

diesel::table! {
    details_accesses (id) {
        id -> Text,
        subject_kind -> Text,
        subject_id -> Text,
        owner -> Text,
        viewer_account_id -> Text,
        reason -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    blocks (request_id, host_id) {
        request_id -> Text,
        host_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> BigInt,
        actor -> Text,
        action -> Text,
        subject -> Text,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    incidents (id) {
        id -> Text,
        name -> Text,
        center_lat -> Double,
        center_lon -> Double,
        radius_m -> Nullable<Double>,
        polygon -> Nullable<Text>,
        starts_at -> BigInt,
        planned_end_at -> BigInt,
        time_zone -> Text,
        emergency_numbers -> Text,
        women_only_needs_verified_host -> Bool,
        children_need_verified_host -> Bool,
        first_acceptance_review -> Bool,
        status -> Text,
        created_by -> Text,
        created_at -> BigInt,
        closed_at -> Nullable<BigInt>,
        purge_after -> Nullable<BigInt>,
        purged_at -> Nullable<BigInt>,
        summary -> Nullable<Text>,
        hold_minutes -> Nullable<Integer>,
        hold_unseen_minutes -> Nullable<Integer>,
        hold_extend_minutes -> Nullable<Integer>,
        hold_cap_minutes -> Nullable<Integer>,
        auto_match -> Bool,
    }
}

diesel::table! {
    audit_queue (id) {
        id -> BigInt,
        at -> BigInt,
        actor -> Text,
        action -> Text,
        subject -> Text,
        detail -> Text,
    }
}

diesel::table! {
    push_subscriptions (id) {
        id -> Text,
        endpoint -> Text,
        p256dh -> Text,
        auth -> Text,
        account_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        lang -> Text,
        created_at -> BigInt,
    }
}
