// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @notice ERC-4907: an NFT with a time-limited user beside its owner.
interface IERC4907 {
    event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires);

    function setUser(uint256 tokenId, address user, uint64 expires) external;

    function userOf(uint256 tokenId) external view returns (address);

    function userExpires(uint256 tokenId) external view returns (uint256);
}

/// @title Time-slot NFT (version 2): the right to use N GPUs of one pool over [start, end)
/// @notice ERC-721 with ERC-4907's user (who may run work on the slot) and ERC-5007-style
///         startTime/endTime. Every slot has a kind, fixed at mint: RESERVED (prepaid, a bounded
///         window) or ON_DEMAND / SPOT (pay-as-you-go: whoever holds it pays per minute; minted
///         open-ended, end = type(uint64).max, until the minter closes it with `close`).
///
///         The holder (or an approved operator) of a RESERVED slot may split it at a whole hour
///         (a multiple of 3600 s since 1970) inside its window or by GPU count into two new slots
///         that exactly cover it, and merge two RESERVED slots of the same pool that are contiguous
///         in time (same GPU count) or share the same window (GPU counts add up). The pieces are
///         new tokens; the parents are burned. Pay-as-you-go slots are never split or merged (their
///         end is not known), but they are transferred, lent (setUser) and listed like any NFT.
///
///         User on transfer: a transfer to another holder clears the user, as ERC-4907's reference
///         does: whoever buys a slot decides who runs on it, and a seller cannot keep using a slot
///         they sold. Split and merge are not transfers: the pieces keep the parent's user (a merge
///         keeps it only when both parents had the same user and expiry).
///
///         Token ids: the marketplace mints with ids below 2**128 that it chooses (so a retried mint
///         can never create a second slot); pieces made by split and merge get ids from 2**128 up.
contract TimeSlotNFT is ERC721, AccessControl, IERC4907 {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    uint256 public constant FIRST_DERIVED_ID = 1 << 128;
    /// @notice The end of a pay-as-you-go slot that has not been closed.
    uint64 public constant OPEN_END = type(uint64).max;
    /// @notice Splits happen at whole hours only.
    uint64 public constant SPLIT_STEP = 3600;
    /// @notice The version of this contract (the first had no kinds; see docs/decisions.md).
    uint256 public constant VERSION = 2;

    enum Kind {
        RESERVED,
        ON_DEMAND,
        SPOT
    }

    struct Slot {
        uint256 pool;
        uint32 gpuCount;
        uint64 start;
        uint64 end;
        Kind kind;
    }

    struct User {
        address user;
        uint64 expires;
    }

    mapping(uint256 => Slot) private slots;
    mapping(uint256 => User) private users;
    uint256 public nextDerivedId = FIRST_DERIVED_ID;
    string private baseTokenURI;

    event SlotMinted(uint256 indexed tokenId, uint256 indexed pool, uint32 gpuCount, uint64 start, uint64 end, Kind kind);
    event SlotSplit(uint256 indexed parent, uint256 first, uint256 second);
    event SlotsMerged(uint256 indexed first, uint256 indexed second, uint256 merged);
    /// @notice A pay-as-you-go slot ended at `at` (stopped, preempted or out of credits): its end is now `at`.
    event SlotClosed(uint256 indexed tokenId, uint64 at);

    error InvalidWindow(uint64 start, uint64 end);
    error InvalidGpuCount(uint32 gpuCount);
    error IdReservedForPieces(uint256 tokenId);
    error SplitOutsideWindow(uint64 at, uint64 start, uint64 end);
    error NotWholeHour(uint64 at);
    error PayAsYouGoSlot(uint256 tokenId);
    error NotPayAsYouGo(uint256 tokenId);
    error AlreadyClosed(uint256 tokenId, uint64 end);
    error CloseOutsideWindow(uint64 at, uint64 start);
    error DifferentHolders();
    error DifferentPools();
    error NotMergeable();

    constructor(address admin, string memory baseURI) ERC721("Berkeley Compute Time Slot", "BCSLOT") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        baseTokenURI = baseURI;
    }

    /// @notice Mints a slot of `kind`: RESERVED over [start, end) (end below OPEN_END), pay-as-you-go
    ///         (ON_DEMAND, SPOT) open-ended from `start` (end must be OPEN_END).
    function mint(address to, uint256 tokenId, uint256 pool, uint32 gpuCount, uint64 start, uint64 end, Kind kind)
        external
        onlyRole(MINTER_ROLE)
    {
        if (tokenId >= FIRST_DERIVED_ID) revert IdReservedForPieces(tokenId);
        _mintSlot(to, tokenId, Slot(pool, gpuCount, start, end, kind));
    }

    /// @notice Ends a pay-as-you-go slot at `at` (start <= at < end): it was stopped, preempted, or
    ///         its holder ran out of credits. The token stays with its holder, with end = at.
    function close(uint256 tokenId, uint64 at) external onlyRole(MINTER_ROLE) {
        Slot storage s = slots[tokenId];
        _requireOwned(tokenId);
        if (s.kind == Kind.RESERVED) revert NotPayAsYouGo(tokenId);
        if (s.end != OPEN_END) revert AlreadyClosed(tokenId, s.end);
        if (at < s.start || at >= s.end) revert CloseOutsideWindow(at, s.start);
        s.end = at;
        emit SlotClosed(tokenId, at);
    }

    // --- ERC-5007-style window and the slot's terms

    function startTime(uint256 tokenId) external view returns (uint64) {
        return _slot(tokenId).start;
    }

    function endTime(uint256 tokenId) external view returns (uint64) {
        return _slot(tokenId).end;
    }

    function slotOf(uint256 tokenId) external view returns (uint256 pool, uint32 gpuCount, uint64 start, uint64 end, Kind kind) {
        Slot memory s = _slot(tokenId);
        return (s.pool, s.gpuCount, s.start, s.end, s.kind);
    }

    function kindOf(uint256 tokenId) external view returns (Kind) {
        return _slot(tokenId).kind;
    }

    // --- ERC-4907

    function setUser(uint256 tokenId, address user, uint64 expires) external {
        _checkAuthorized(_requireOwned(tokenId), msg.sender, tokenId);
        _setUser(tokenId, user, expires);
    }

    function userOf(uint256 tokenId) external view returns (address) {
        User memory u = users[tokenId];
        return u.expires >= block.timestamp ? u.user : address(0);
    }

    function userExpires(uint256 tokenId) external view returns (uint256) {
        return users[tokenId].expires;
    }

    // --- split and merge

    /// @notice Splits a reserved slot at the whole hour `at` (start < at < end) into [start, at) and [at, end).
    function splitAt(uint256 tokenId, uint64 at) external returns (uint256 first, uint256 second) {
        address holder = _authorizedHolder(tokenId);
        Slot memory s = _reserved(tokenId);
        if (at <= s.start || at >= s.end) revert SplitOutsideWindow(at, s.start, s.end);
        if (at % SPLIT_STEP != 0) revert NotWholeHour(at);
        return _split(tokenId, holder, Slot(s.pool, s.gpuCount, s.start, at, s.kind), Slot(s.pool, s.gpuCount, at, s.end, s.kind));
    }

    /// @notice Splits a reserved slot into one of `gpuCount` GPUs and one of the rest, over the same window.
    function splitByCount(uint256 tokenId, uint32 gpuCount) external returns (uint256 first, uint256 second) {
        address holder = _authorizedHolder(tokenId);
        Slot memory s = _reserved(tokenId);
        if (gpuCount == 0 || gpuCount >= s.gpuCount) revert InvalidGpuCount(gpuCount);
        return _split(tokenId, holder, Slot(s.pool, gpuCount, s.start, s.end, s.kind),
            Slot(s.pool, s.gpuCount - gpuCount, s.start, s.end, s.kind));
    }

    /// @notice Merges two slots of one holder and pool: contiguous in time with the same GPU count,
    ///         or over the same window (the GPU counts add up).
    function merge(uint256 firstId, uint256 secondId) external returns (uint256 merged) {
        address holder = _authorizedHolder(firstId);
        if (_authorizedHolder(secondId) != holder) revert DifferentHolders();
        Slot memory a = _reserved(firstId);
        Slot memory b = _reserved(secondId);
        if (a.pool != b.pool) revert DifferentPools();
        Slot memory joined;
        if (a.gpuCount == b.gpuCount && (a.end == b.start || b.end == a.start)) {
            joined = Slot(a.pool, a.gpuCount, a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end, Kind.RESERVED);
        } else if (a.start == b.start && a.end == b.end && firstId != secondId) {
            joined = Slot(a.pool, a.gpuCount + b.gpuCount, a.start, a.end, Kind.RESERVED);
        } else {
            revert NotMergeable();
        }
        User memory ua = users[firstId];
        User memory ub = users[secondId];
        _burnSlot(firstId);
        _burnSlot(secondId);
        merged = nextDerivedId++;
        _mintSlot(holder, merged, joined);
        if (ua.user == ub.user && ua.expires == ub.expires && ua.user != address(0)) {
            _setUser(merged, ua.user, ua.expires);
        }
        emit SlotsMerged(firstId, secondId, merged);
    }

    // --- internals

    function _split(uint256 parent, address holder, Slot memory a, Slot memory b) private returns (uint256 first, uint256 second) {
        User memory u = users[parent];
        _burnSlot(parent);
        first = nextDerivedId++;
        second = nextDerivedId++;
        _mintSlot(holder, first, a);
        _mintSlot(holder, second, b);
        if (u.user != address(0)) {
            _setUser(first, u.user, u.expires);
            _setUser(second, u.user, u.expires);
        }
        emit SlotSplit(parent, first, second);
    }

    function _mintSlot(address to, uint256 tokenId, Slot memory s) private {
        // reserved: a bounded window; pay-as-you-go: open-ended
        if (s.start >= s.end || (s.end == OPEN_END) != (s.kind != Kind.RESERVED)) revert InvalidWindow(s.start, s.end);
        if (s.gpuCount == 0) revert InvalidGpuCount(s.gpuCount);
        slots[tokenId] = s;
        _safeMint(to, tokenId);
        emit SlotMinted(tokenId, s.pool, s.gpuCount, s.start, s.end, s.kind);
    }

    function _burnSlot(uint256 tokenId) private {
        _burn(tokenId);
        delete slots[tokenId];
    }

    function _authorizedHolder(uint256 tokenId) private view returns (address holder) {
        holder = _requireOwned(tokenId);
        _checkAuthorized(holder, msg.sender, tokenId);
    }

    function _slot(uint256 tokenId) private view returns (Slot memory) {
        _requireOwned(tokenId);
        return slots[tokenId];
    }

    /// @dev The slot, which must be RESERVED: pay-as-you-go slots are not split or merged.
    function _reserved(uint256 tokenId) private view returns (Slot memory s) {
        s = slots[tokenId];
        if (s.kind != Kind.RESERVED) revert PayAsYouGoSlot(tokenId);
    }

    function _setUser(uint256 tokenId, address user, uint64 expires) private {
        users[tokenId] = User(user, expires);
        emit UpdateUser(tokenId, user, expires);
    }

    /// @dev Clears the user on a transfer between holders, and on a burn.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != to && from != address(0) && users[tokenId].user != address(0)) {
            delete users[tokenId];
            emit UpdateUser(tokenId, address(0), 0);
        }
    }

    function setBaseURI(string calldata baseURI) external onlyRole(DEFAULT_ADMIN_ROLE) {
        baseTokenURI = baseURI;
    }

    function _baseURI() internal view override returns (string memory) {
        return baseTokenURI;
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return interfaceId == type(IERC4907).interfaceId || super.supportsInterface(interfaceId);
    }
}
