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

/// @title Time-slot NFT: the right to use N GPUs of one pool over [start, end)
/// @notice ERC-721 with ERC-4907's user (who may run work on the slot) and ERC-5007-style
///         startTime/endTime. The holder (or an approved operator) may split a slot at any instant
///         inside its window or by GPU count into two new slots that exactly cover it, and merge two
///         slots of the same pool that are contiguous in time (same GPU count) or share the same
///         window (GPU counts add up). The pieces are new tokens; the parents are burned.
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

    struct Slot {
        uint256 pool;
        uint32 gpuCount;
        uint64 start;
        uint64 end;
    }

    struct User {
        address user;
        uint64 expires;
    }

    mapping(uint256 => Slot) private slots;
    mapping(uint256 => User) private users;
    uint256 public nextDerivedId = FIRST_DERIVED_ID;
    string private baseTokenURI;

    event SlotMinted(uint256 indexed tokenId, uint256 indexed pool, uint32 gpuCount, uint64 start, uint64 end);
    event SlotSplit(uint256 indexed parent, uint256 first, uint256 second);
    event SlotsMerged(uint256 indexed first, uint256 indexed second, uint256 merged);

    error InvalidWindow(uint64 start, uint64 end);
    error InvalidGpuCount(uint32 gpuCount);
    error IdReservedForPieces(uint256 tokenId);
    error SplitOutsideWindow(uint64 at, uint64 start, uint64 end);
    error DifferentHolders();
    error DifferentPools();
    error NotMergeable();

    constructor(address admin, string memory baseURI) ERC721("Berkeley Compute Time Slot", "BCSLOT") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        baseTokenURI = baseURI;
    }

    function mint(address to, uint256 tokenId, uint256 pool, uint32 gpuCount, uint64 start, uint64 end)
        external
        onlyRole(MINTER_ROLE)
    {
        if (tokenId >= FIRST_DERIVED_ID) revert IdReservedForPieces(tokenId);
        _mintSlot(to, tokenId, Slot(pool, gpuCount, start, end));
    }

    // --- ERC-5007-style window and the slot's terms

    function startTime(uint256 tokenId) external view returns (uint64) {
        return _slot(tokenId).start;
    }

    function endTime(uint256 tokenId) external view returns (uint64) {
        return _slot(tokenId).end;
    }

    function slotOf(uint256 tokenId) external view returns (uint256 pool, uint32 gpuCount, uint64 start, uint64 end) {
        Slot memory s = _slot(tokenId);
        return (s.pool, s.gpuCount, s.start, s.end);
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

    /// @notice Splits a slot at instant `at` (start < at < end) into [start, at) and [at, end).
    function splitAt(uint256 tokenId, uint64 at) external returns (uint256 first, uint256 second) {
        address holder = _authorizedHolder(tokenId);
        Slot memory s = slots[tokenId];
        if (at <= s.start || at >= s.end) revert SplitOutsideWindow(at, s.start, s.end);
        return _split(tokenId, holder, Slot(s.pool, s.gpuCount, s.start, at), Slot(s.pool, s.gpuCount, at, s.end));
    }

    /// @notice Splits a slot into one of `gpuCount` GPUs and one of the rest, over the same window.
    function splitByCount(uint256 tokenId, uint32 gpuCount) external returns (uint256 first, uint256 second) {
        address holder = _authorizedHolder(tokenId);
        Slot memory s = slots[tokenId];
        if (gpuCount == 0 || gpuCount >= s.gpuCount) revert InvalidGpuCount(gpuCount);
        return _split(tokenId, holder, Slot(s.pool, gpuCount, s.start, s.end), Slot(s.pool, s.gpuCount - gpuCount, s.start, s.end));
    }

    /// @notice Merges two slots of one holder and pool: contiguous in time with the same GPU count,
    ///         or over the same window (the GPU counts add up).
    function merge(uint256 firstId, uint256 secondId) external returns (uint256 merged) {
        address holder = _authorizedHolder(firstId);
        if (_authorizedHolder(secondId) != holder) revert DifferentHolders();
        Slot memory a = slots[firstId];
        Slot memory b = slots[secondId];
        if (a.pool != b.pool) revert DifferentPools();
        Slot memory joined;
        if (a.gpuCount == b.gpuCount && (a.end == b.start || b.end == a.start)) {
            joined = Slot(a.pool, a.gpuCount, a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end);
        } else if (a.start == b.start && a.end == b.end && firstId != secondId) {
            joined = Slot(a.pool, a.gpuCount + b.gpuCount, a.start, a.end);
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
        if (s.start >= s.end) revert InvalidWindow(s.start, s.end);
        if (s.gpuCount == 0) revert InvalidGpuCount(s.gpuCount);
        slots[tokenId] = s;
        _safeMint(to, tokenId);
        emit SlotMinted(tokenId, s.pool, s.gpuCount, s.start, s.end);
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
