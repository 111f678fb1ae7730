//! How the domain's typed values sit in text columns: every state, role and
//! kind enum, and every ID type, is read and bound by diesel as itself
//! (`FromSql`/`ToSql` on `Text`), so row structs, filters and inserts carry
//! the type, never a `String`. An enum reads strictly: a stored text that no
//! variant names fails the query that read it (`UnknownValue`), never a
//! default. The domain stays free of diesel; the mapping lives here, through
//! diesel's `foreign_derive` for the expression and row traits.

use crate::domain::ids::{AccountId, IncidentId, MatchId, OfferId, ReportId, RequestId};
use crate::domain::matching::{Side, Status};
use crate::domain::safeguarding::Standing;
use crate::domain::states::{
    IncidentStatus, Link, OfferStatus, OutboxStatus, ReportOutcome, ReportReason, ReportTarget,
    RequestStatus, Role,
};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

/// `$ty` in a text column: read with `$read` (the column's text in, the value
/// or an error out), written as `as_str()`.
macro_rules! stored_as_text {
    ($ty:ident, $proxy:ident, $read:expr) => {
        /// diesel's derives for a type of another module (`foreign_derive`):
        /// never built, only derived from.
        #[derive(AsExpression, FromSqlRow)]
        #[diesel(foreign_derive)]
        #[diesel(sql_type = Text)]
        #[allow(dead_code)]
        struct $proxy($ty);

        impl<DB> FromSql<Text, DB> for $ty
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let read: fn(String) -> deserialize::Result<$ty> = $read;
                read(<String as FromSql<Text, DB>>::from_sql(bytes)?)
            }
        }

        impl<DB> ToSql<Text, DB> for $ty
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }
    };
}

/// An enum of the domain: its text must name a variant.
macro_rules! stored_enum {
    ($($ty:ident => $proxy:ident),+ $(,)?) => {
        $(stored_as_text!($ty, $proxy, |text| Ok($ty::try_from(text)?));)+
    };
}

/// An ID: what the database holds is an ID of that kind.
macro_rules! stored_id {
    ($($ty:ident => $proxy:ident),+ $(,)?) => {
        $(stored_as_text!($ty, $proxy, |text| Ok($ty::from_db(text)));)+
    };
}

stored_enum! {
    Status => StatusColumn,
    Side => SideColumn,
    OfferStatus => OfferStatusColumn,
    RequestStatus => RequestStatusColumn,
    Role => RoleColumn,
    OutboxStatus => OutboxStatusColumn,
    IncidentStatus => IncidentStatusColumn,
    ReportOutcome => ReportOutcomeColumn,
    ReportTarget => ReportTargetColumn,
    ReportReason => ReportReasonColumn,
    Link => LinkColumn,
    Standing => StandingColumn,
}

stored_id! {
    AccountId => AccountIdColumn,
    OfferId => OfferIdColumn,
    RequestId => RequestIdColumn,
    MatchId => MatchIdColumn,
    IncidentId => IncidentIdColumn,
    ReportId => ReportIdColumn,
}
